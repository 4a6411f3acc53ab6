package org.tokenctl.cli;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.tokenctl.cli.options.Completions;
import org.tokenctl.cli.options.ObjectOptions;
import org.tokenctl.cli.options.UserPinOptions;
import org.tokenctl.cli.output.EnrollViews;
import org.tokenctl.cli.output.Json;
import org.tokenctl.cli.output.TextFormat;
import org.tokenctl.cli.output.Views;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectDeleter;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokenctl delete}: remove a key pair, a certificate, or a pair with its certificate. */
@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Delete objects from the token: by default every key and certificate with the --id or"
                + " --label given (a key pair with its certificate); --type narrows it to the certificate, the"
                + " key pair, or one key. A pkcs11: URI (--uri) names them by id=, object= and type=.",
            "It lists exactly what will be deleted and asks on the terminal (type 'yes'), unless --force; only"
                + " the objects listed are deleted, certificate first and private key last. Logs in as the user"
                + " (private keys are invisible otherwise). " + TokenCommand.DEFAULT_SELECTION},
        footerHeading = "%nExamples:%n",
        footer = {"  tokenctl delete --token-label alice --pin-file alice.pin --id da9c",
            "  tokenctl delete --token-label alice --pin-file alice.pin --label old \\",
            "      --type cert --force",
            "  tokenctl delete --uri 'pkcs11:token=alice;id=%%DA%%9C' --pin-env PIN \\",
            "      --force --json"})
final class DeleteCommand extends TokenCommand {

    @Mixin
    private ObjectOptions object;

    @Option(names = "--type", paramLabel = "TYPE", completionCandidates = Completions.DeleteTypes.class,
            description = "What to delete of the objects named: all"
            + " (default: certificate and key pair), pair (private and public key), cert, private or public.")
    private String type;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    private boolean force;

    @Mixin
    private UserPinOptions pin;

    @Override
    protected boolean namesObjects() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        Set<ObjectClass> classes = classes();
        ObjectQuery query = object.query(uri(), null);
        if (query.type() != null) {
            classes.retainAll(Set.of(query.type()));
        }
        CliContext ctx = ctx();
        try (Pkcs11Module m = openModule()) {
            Token t = selectToken(m);
            TokenInfo info = t.info();
            List<TokenObject> done;
            try (TokenSession session = t.openSession(true)) {
                top().login(session, UserType.USER, pin.source(), allowFinalTry());
                List<TokenObject> plan = ObjectDeleter.plan(session, query, classes);
                List<String> lines = new ArrayList<>();
                plan.forEach(o -> lines.add(ObjectDeleter.describe(o)));
                Confirmation.require(ctx, force, "delete from token '" + info.label() + "' (serial "
                        + info.serial() + "): " + String.join("; ", lines));
                done = ObjectDeleter.delete(session, plan);
            }
            if (json()) {
                List<Views.DeletedView> views = new ArrayList<>();
                for (TokenObject o : done) {
                    views.add(new Views.DeletedView(o.objectClass().name(), o.id() == null ? null : o.id().hex(),
                            o.label(), TextFormat.uri(info, o)));
                }
                Json.print(ctx.out(), new Views.DeleteView(Json.SCHEMA_VERSION, EnrollViews.TokenRef.of(info),
                        views));
            } else {
                ctx.out().printf("Deleted from token '%s' (serial %s):%n", info.label(), info.serial());
                done.forEach(o -> ctx.out().println("  " + ObjectDeleter.describe(o)));
            }
            return ExitCode.OK.code();
        }
    }

    private Set<ObjectClass> classes() throws InvalidInputException {
        String t = type == null ? "all" : type;
        return switch (t) {
            case "all" -> EnumSet.of(ObjectClass.CERTIFICATE, ObjectClass.PUBLIC_KEY, ObjectClass.PRIVATE_KEY);
            case "pair" -> EnumSet.of(ObjectClass.PUBLIC_KEY, ObjectClass.PRIVATE_KEY);
            case "cert" -> EnumSet.of(ObjectClass.CERTIFICATE);
            case "private" -> EnumSet.of(ObjectClass.PRIVATE_KEY);
            case "public" -> EnumSet.of(ObjectClass.PUBLIC_KEY);
            default -> throw new InvalidInputException("type", "--type must be all, pair, cert, private or public");
        };
    }
}
