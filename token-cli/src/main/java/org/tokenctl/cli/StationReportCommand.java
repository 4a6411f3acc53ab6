package org.tokenctl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.station.Journal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl station report}: what a station's journal says, summarised. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Summarise a station's journal: how many tokens per outcome, per day (UTC) and per operator."
                + " A torn last line (a crash while writing) or a damaged line is reported by its number, not fatal."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl station report --journal desk.journal",
            "  tokenctl station report --journal desk.journal --json"})
final class StationReportCommand implements Callable<Integer> {

    @ParentCommand
    private StationCommand station;

    @Option(names = "--journal", required = true, paramLabel = "FILE", description = "The journal to read.")
    private Path journal;

    @Mixin
    private OutputOptions output;

    /**
     * Output of {@code tokenctl station report --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param journal the file read
     * @param records how many records it holds
     * @param byOutcome records per outcome
     * @param byDay per day (UTC), records per outcome
     * @param byOperator per operator, records per outcome
     * @param damagedLines line numbers that are not whole records
     * @param tornLastLine whether the last line is torn (a crash while writing)
     */
    record ReportView(int schemaVersion, String journal, int records, Map<String, Integer> byOutcome,
                      Map<String, Map<String, Integer>> byDay, Map<String, Map<String, Integer>> byOperator,
                      List<Integer> damagedLines, boolean tornLastLine) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext ctx = station.top().ctx();
        Journal.Contents c = Journal.read(journal);
        Map<String, Integer> byOutcome = new TreeMap<>();
        Map<String, Map<String, Integer>> byDay = new TreeMap<>();
        Map<String, Map<String, Integer>> byOperator = new TreeMap<>();
        for (JsonNode r : c.records()) {
            String outcome = r.path("outcome").asText("?");
            String time = r.path("time").asText("");
            String day = time.length() >= 10 ? time.substring(0, 10) : "?";
            String op = r.path("operator").asText("?");
            byOutcome.merge(outcome, 1, Integer::sum);
            byDay.computeIfAbsent(day, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            byOperator.computeIfAbsent(op, k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        if (output.json()) {
            Json.print(ctx.out(), new ReportView(Json.SCHEMA_VERSION, journal.toString(), c.records().size(),
                    byOutcome, byDay, byOperator, c.damagedLines(), c.tornLastLine()));
        } else {
            ctx.out().printf("%s: %d records%n", journal, c.records().size());
            ctx.out().println("  by outcome:  " + counts(byOutcome));
            byDay.forEach((d, m) -> ctx.out().println("  " + d + ":  " + counts(m)));
            byOperator.forEach((o, m) -> ctx.out().println("  operator " + o + ":  " + counts(m)));
        }
        if (!c.damagedLines().isEmpty()) {
            ctx.err().println("tokenctl: warning: " + journal + " has " + c.damagedLines().size() + " line(s) that are"
                    + " not whole records (line" + (c.damagedLines().size() == 1 ? " " : "s ")
                    + String.join(", ", c.damagedLines().stream().map(String::valueOf).toList()) + ")"
                    + (c.tornLastLine() ? "; the last one is torn, as a crash while writing leaves it" : ""));
        }
        return ExitCode.OK.code();
    }

    private static String counts(Map<String, Integer> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
