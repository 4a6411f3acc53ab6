package org.tokenctl.softhsm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One isolated SoftHSM2 token directory and the configuration that points at it.
 *
 * <p>SoftHSM reads {@code SOFTHSM2_CONF} once per {@code C_Initialize}, and a JVM
 * cannot change its own environment, so the configuration file lives at a path
 * the process environment already names (see {@link SoftHsmExtension}); each test
 * class gets a fresh token directory behind it. Child processes (tokenctl,
 * pkcs11-tool, softhsm2-util) get the same variables through {@link #env()}.
 */
public final class SoftHsmFixture {

    /** Environment variable naming the vendor emulator's configuration file. */
    public static final String EMULATOR_CONF_ENV = "TOKENCTL_EMULATOR_CONF";

    private static final String TEMPLATE = "softhsm2.conf.template";
    private static final Pattern SLOT = Pattern.compile("^Slot (\\d+)$", Pattern.MULTILINE);

    private final Path root;
    private final Path confFile;
    private final Path tokenDir;
    private final Path emulatorConf;

    private SoftHsmFixture(Path root, Path confFile, Path emulatorConf) {
        this.root = root;
        this.confFile = confFile;
        this.tokenDir = root.resolve("tokens");
        this.emulatorConf = emulatorConf;
    }

    /**
     * Creates a fresh token directory under {@code root} and writes the SoftHSM
     * configuration at {@code confFile}, pointing at it.
     *
     * @param root a directory for this fixture's tokens (created; must be empty or absent)
     * @param confFile where to write softhsm2.conf
     * @param emulatorConf where {@link #writeEmulatorConfig(Map)} writes the emulator's config
     * @return the fixture
     * @throws UncheckedIOException if the files cannot be written
     */
    public static SoftHsmFixture create(Path root, Path confFile, Path emulatorConf) {
        SoftHsm.module(); // fail early, naming the package, when SoftHSM is missing
        try {
            // a directory of this name is an earlier build's whose JVM had the same pid: its tokens are stale
            if (Files.exists(root)) {
                try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(root.resolve("tokens"));
            Files.createDirectories(confFile.toAbsolutePath().getParent());
            String conf = template().replace("@TOKENDIR@", root.resolve("tokens").toAbsolutePath().toString());
            Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SoftHSM fixture under " + root, e);
        }
        return new SoftHsmFixture(root.toAbsolutePath(), confFile.toAbsolutePath(), emulatorConf.toAbsolutePath());
    }

    private static String template() throws IOException {
        try (InputStream in = SoftHsmFixture.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("resource " + TEMPLATE + " missing from softhsm-config");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** @return the directory that holds this fixture's files */
    public Path root() {
        return root;
    }

    /** @return SoftHSM's token directory for this fixture */
    public Path tokenDir() {
        return tokenDir;
    }

    /** @return the softhsm2.conf file */
    public Path confFile() {
        return confFile;
    }

    /** @return the vendor emulator's configuration file (may not exist yet) */
    public Path emulatorConf() {
        return emulatorConf;
    }

    /** @return the SoftHSM2 module */
    public Path softhsmModule() {
        return SoftHsm.module();
    }

    /**
     * The vendor emulator module, built by softhsm-config's Makefile.
     *
     * @return its path
     * @throws IllegalStateException if it has not been built
     */
    public Path emulatorModule() {
        Path so = repositoryRoot().resolve("softhsm-config/target/emulator/libtokenctl-emu.so");
        if (!Files.isRegularFile(so)) {
            throw new IllegalStateException("the vendor emulator is not built (" + so
                    + "); run the project's test command, which builds it");
        }
        return so;
    }

    /**
     * The repository root: the surefire property {@code tokenctl.repo.root}, else the
     * nearest ancestor of the working directory that holds softhsm-config/.
     *
     * @return the repository root
     */
    public static Path repositoryRoot() {
        String prop = System.getProperty("tokenctl.repo.root");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("softhsm-config")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    /** @return the variables a child process needs to see this fixture's tokens */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SOFTHSM2_CONF", confFile.toString());
        env.put(EMULATOR_CONF_ENV, emulatorConf.toString());
        return env;
    }

    /**
     * Initialises the first free SoftHSM slot with softhsm2-util (a tool independent
     * of tokenctl), so that tests of other commands start from a known token.
     *
     * @param label the token label
     * @param soPin the SO PIN
     * @param userPin the user PIN
     * @return the new token's serial number
     */
    public String initToken(String label, String soPin, String userPin) {
        run(List.of(SoftHsm.tool("softhsm2-util", "softhsm2").toString(), "--init-token", "--free",
                "--label", label, "--so-pin", soPin, "--pin", userPin)).assertOk();
        return serialOf(label);
    }

    /**
     * Initialises several tokens with the same PINs, as a batch test wants them.
     *
     * @param labels the tokens' labels
     * @param soPin the SO PIN of each
     * @param userPin the user PIN of each
     * @return each label's serial number, in the order given
     */
    public Map<String, String> initTokens(List<String> labels, String soPin, String userPin) {
        Map<String, String> serials = new LinkedHashMap<>();
        for (String label : labels) {
            serials.put(label, initToken(label, soPin, userPin));
        }
        return serials;
    }

    /**
     * The serial number of the token with this label, read with softhsm2-util.
     *
     * @param label the token label
     * @return its serial number
     * @throws AssertionError if no token has that label
     */
    public String serialOf(String label) {
        String out = run(List.of(SoftHsm.tool("softhsm2-util", "softhsm2").toString(), "--show-slots"))
                .assertOk().stdout();
        for (String block : slotBlocks(out)) {
            if (field(block, "Label").equals(label)) {
                return field(block, "Serial number");
            }
        }
        throw new AssertionError("no token labelled '" + label + "' in:\n" + out);
    }

    private static List<String> slotBlocks(String showSlots) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SLOT.matcher(showSlots);
        int start = -1;
        while (m.find()) {
            if (start >= 0) {
                blocks.add(showSlots.substring(start, m.start()));
            }
            start = m.start();
        }
        if (start >= 0) {
            blocks.add(showSlots.substring(start));
        }
        return blocks;
    }

    private static String field(String block, String name) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(name) + ":\\s*(.*?)\\s*$", Pattern.MULTILINE)
                .matcher(block.substring(Math.max(0, block.indexOf("Token info:"))));
        return m.find() ? m.group(1) : "";
    }

    /**
     * Runs pkcs11-tool (OpenSC) against a module with this fixture's environment.
     *
     * @param module the PKCS#11 module
     * @param args pkcs11-tool arguments after {@code --module}
     * @return its result
     */
    public ProcessResult pkcs11Tool(Path module, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SoftHsm.tool("pkcs11-tool", "opensc").toString());
        cmd.add("--module");
        cmd.add(module.toString());
        cmd.addAll(Arrays.asList(args));
        return run(cmd);
    }

    /**
     * Runs pkcs11-tool against SoftHSM with this fixture's environment.
     *
     * @param args pkcs11-tool arguments after {@code --module}
     * @return its result
     */
    public ProcessResult pkcs11Tool(String... args) {
        return pkcs11Tool(softhsmModule(), args);
    }

    /**
     * Runs any command with this fixture's environment.
     *
     * @param command the command and its arguments
     * @return its result
     */
    public ProcessResult run(List<String> command) {
        return Processes.run(env(), new byte[0], command);
    }

    /** The keys a vendor profile file shares with the emulator's configuration: the token's own facts. */
    public static final List<String> PROFILE_KEYS = List.of("manufacturer", "model", "pin.min", "pin.max",
            "pin.retries", "so_pin.retries", "init_token", "sm2.key_type", "sm2.keygen", "sm2.sign",
            "sm2.sign.input", "sm2.signature", "sm2.private_ec_point");

    /**
     * Makes the vendor emulator behave like a vendor profile's tokens. The facts come
     * from token-core's profile file ({@code org/tokenctl/core/profile/ID.properties}
     * on the test class path), so profile data has one source.
     *
     * @param profileId e.g. "gd"
     * @param extra further emulator keys (faults, trace file), written after the profile's
     * @return the emulator module to load
     */
    public Path emulateProfile(String profileId, Map<String, String> extra) {
        String resource = "/org/tokenctl/core/profile/" + profileId + ".properties";
        java.util.Properties profile = new java.util.Properties();
        try (InputStream in = SoftHsmFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no profile " + resource + " on the class path");
            }
            profile.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("softhsm.module", softhsmModule().toString());
        for (String key : PROFILE_KEYS) {
            String v = profile.getProperty(key, "").trim();
            if (!v.isEmpty()) {
                conf.put(key, v);
            }
        }
        conf.put("state.file", root.resolve("emulator-state").toString());
        conf.putAll(extra);
        writeEmulatorConfig(conf);
        return emulatorModule();
    }

    /**
     * Writes the vendor emulator's configuration (see softhsm-config/README.md).
     *
     * @param properties keys and values, written in order
     */
    public void writeEmulatorConfig(Map<String, String> properties) {
        StringBuilder sb = new StringBuilder("# written by SoftHsmFixture\n");
        properties.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(emulatorConf, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
