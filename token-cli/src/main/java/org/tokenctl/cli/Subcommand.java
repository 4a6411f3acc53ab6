package org.tokenctl.cli;


/**
 * The registry of tokenctl's subcommands: adding one means adding a constant here,
 * and the compiler then asks for its class in {@link #create()}.
 *
 * <p>Subcommands are built on demand, since picocli's model of a command costs
 * start-up time. {@link #create()} is a switch, not a map of constructor
 * references: each of those is a lambda class spun at start-up that loads its
 * command class (measured in the start-up benchmark).
 */
enum Subcommand {
    LIST("list", false, true),
    INIT("init", false, true),
    CHANGE_PIN("change-pin", false, true),
    UNBLOCK("unblock", false, true),
    GUARD("guard", false, true),
    ENROLL("enroll", true, true),
    BATCH_ENROLL("batch-enroll", true, true),
    STATION("station", true, true),
    RENEW("renew", true, true),
    REVOKE("revoke", true, true),
    IMPORT_CERT("import-cert", true, true),
    EXPORT_CERT("export-cert", true, true),
    DELETE("delete", false, true),
    EXPIRY("expiry", false, true),
    MECHANISMS("mechanisms", false, true),
    CA("ca", true, false),
    PROFILES("profiles", false, false),
    GENERATE_COMPLETION("generate-completion", false, false),
    COMPLETE_VALUES("complete-values", false, true);

    private final String commandName;
    private final boolean crypto;
    private final boolean token;

    Subcommand(String commandName, boolean crypto, boolean token) {
        this.commandName = commandName;
        this.crypto = crypto;
        this.token = token;
    }

    /** @return whether it loads a PKCS#11 module (else --timeout, which bounds token calls, is not offered) */
    boolean token() {
        return token;
    }

    /** @return the name typed on the command line */
    String commandName() {
        return commandName;
    }

    /** @return whether it signs, verifies or parses keys and certificates in software (worth a warm-up) */
    boolean crypto() {
        return crypto;
    }

    /** @return a new instance of its picocli command */
    Object create() {
        return switch (this) {
            case LIST -> new ListCommand();
            case INIT -> new InitCommand();
            case CHANGE_PIN -> new ChangePinCommand();
            case UNBLOCK -> new UnblockCommand();
            case GUARD -> new GuardCommand();
            case ENROLL -> new EnrollCommand();
            case BATCH_ENROLL -> new BatchEnrollCommand();
            case STATION -> new StationCommand();
            case RENEW -> new RenewCommand();
            case REVOKE -> new RevokeCommand();
            case IMPORT_CERT -> new ImportCertCommand();
            case EXPORT_CERT -> new ExportCertCommand();
            case DELETE -> new DeleteCommand();
            case EXPIRY -> new ExpiryCommand();
            case MECHANISMS -> new MechanismsCommand();
            case CA -> new CaCommand();
            case PROFILES -> new ProfilesCommand();
            case GENERATE_COMPLETION -> new GenerateCompletionCommand();
            case COMPLETE_VALUES -> new CompleteValuesCommand();
        };
    }

    /**
     * @param name a word from the command line
     * @return the subcommand of that name, or null
     */
    static Subcommand named(String name) {
        for (Subcommand s : values()) {
            if (s.commandName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
