package org.tokenctl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.tokenctl.cli.options.OutputOptions;
import org.tokenctl.cli.output.Json;
import org.tokenctl.core.profile.ModuleCandidates;
import org.tokenctl.core.profile.OperatingSystem;
import org.tokenctl.core.profile.VendorProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code tokenctl profiles}: the vendor profiles, their rules, and whether their module is on this machine. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = {"List the vendor profiles (built-in, and yours from ${XDG_CONFIG_HOME:-~/.config}/tokenctl/"
                + "profiles/*.properties, which add profiles or replace a built-in one with the same id), where "
                + "each one's PKCS#11 module was found on this machine, and the rules each applies."},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl profiles", "  tokenctl profiles --json",
            "  tokenctl change-pin --profile gd --module /opt/safesign/lib/libaetpkss.so.3"})
final class ProfilesCommand implements Callable<Integer> {

    @ParentCommand
    private TokenctlCommand top;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = top.ctx();
        List<ProfileView> views = new ArrayList<>();
        for (VendorProfile p : top.profiles().all()) {
            views.add(ProfileView.of(p));
        }
        if (output.json()) {
            Json.print(ctx.out(), new ProfilesView(Json.SCHEMA_VERSION, views));
            return ExitCode.OK.code();
        }
        for (ProfileView v : views) {
            ctx.out().printf("%-10s %s%s%n", v.id(), v.name(), v.verified() ? "" : "  (unverified)");
            ctx.out().printf("           module:   %s%n", v.module().found() != null ? v.module().found()
                    : v.module().candidates().isEmpty() ? "none listed (use --module)"
                    : "not found (tried " + v.module().candidates().size() + " paths)");
            ctx.out().printf("           tokens:   manufacturer %s%s%n", v.manufacturerPatterns().isEmpty() ? "-"
                    : String.join(" | ", v.manufacturerPatterns()), v.model().isEmpty() ? "" : ", model " + v.model());
            ctx.out().printf("           PIN:      %d to %d %s%s; %s%n", v.pin().min(), v.pin().max(),
                    v.pin().characters().toLowerCase().replace('_', ' '),
                    v.pin().hasInitialPin() ? ", not the initial PIN" : "",
                    v.pin().retries() == 0 ? "no retry counter" : "locks after " + v.pin().retries() + " wrong PINs");
            ctx.out().printf("           keys:     %s; C_InitToken %s; label up to %d bytes%n",
                    String.join(", ", v.keySpecs()), v.initToken() ? "allowed" : "refused", v.labelMaxBytes());
            if (!v.quirks().isEmpty()) {
                ctx.out().printf("           quirks:   %s%n", String.join(", ", v.quirks()));
            }
            ctx.out().printf("           source:   %s%n", v.source());
        }
        return ExitCode.OK.code();
    }

    /**
     * Output of {@code profiles --json}.
     *
     * @param schemaVersion {@link Json#SCHEMA_VERSION}
     * @param profiles every profile
     */
    record ProfilesView(int schemaVersion, List<ProfileView> profiles) {
    }

    /**
     * @param found the first candidate present on this machine, or null
     * @param candidates every path tried, in order
     */
    record ModuleView(String found, List<String> candidates) {
    }

    /**
     * @param min shortest PIN
     * @param max longest PIN
     * @param characters DIGITS, ALPHANUMERIC or PRINTABLE_ASCII
     * @param hasInitialPin whether tokens are issued with a known initial PIN (its value is not printed)
     * @param retries wrong user PINs before the token locks (0: no counter)
     * @param soRetries wrong SO PINs before the token locks (0: unknown or none)
     */
    record PinView(int min, int max, String characters, boolean hasInitialPin, int retries, int soRetries) {
    }

    /**
     * One profile.
     *
     * @param id the --profile name
     * @param name display name
     * @param manufacturerPatterns how its tokens are recognised
     * @param model typical model
     * @param module where its module is
     * @param pin PIN rules
     * @param keySpecs supported key specs
     * @param initToken whether C_InitToken is allowed
     * @param labelMaxBytes longest label
     * @param quirks behaviours worth knowing
     * @param verified checked on real tokens
     * @param source "built-in ..." or a file path
     */
    record ProfileView(String id, String name, List<String> manufacturerPatterns, String model, ModuleView module,
                       PinView pin, List<String> keySpecs, boolean initToken, int labelMaxBytes, List<String> quirks,
                       boolean verified, String source) {
        static ProfileView of(VendorProfile p) {
            List<Path> candidates = ModuleCandidates.paths(p, OperatingSystem.current());
            String found = candidates.stream().filter(Files::isRegularFile).map(Path::toString).findFirst()
                    .orElse(null);
            return new ProfileView(p.id(), p.name(), p.manufacturerPatterns().stream().map(Pattern::pattern)
                    .collect(Collectors.toList()), p.model(),
                    new ModuleView(found, candidates.stream().map(Path::toString).collect(Collectors.toList())),
                    new PinView(p.pinPolicy().minLength(), p.pinPolicy().maxLength(), p.pinPolicy().characters().name(),
                            p.pinPolicy().initialPin() != null, p.pinRetries(), p.soPinRetries()),
                    p.keySpecs(), p.initTokenSupported(), p.labelMaxBytes(), p.quirks(), p.verified(), p.source());
        }
    }
}
