package org.tokenctl.softhsm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The {@code openssl} command as an independent cross-check: plain, and with
 * OpenSSL's pkcs11 engine (libp11; Debian package {@code libengine-pkcs11-openssl})
 * as a client that reads public keys from a token and signs with its private
 * keys, addressed by RFC 7512 {@code pkcs11:} URIs.
 *
 * <p>How the engine finds the module, on Debian 12 (OpenSSL 3.0, libp11 0.4.12):
 * {@code -engine pkcs11} loads {@code engines-3/pkcs11.so}, which reads the
 * module path from the {@code PKCS11_MODULE_PATH} environment variable (libp11
 * {@code eng_back.c}); without it, it loads {@code p11-kit-proxy.so}, which would
 * find SoftHSM only through p11-kit's module registry. So every command here sets
 * {@code PKCS11_MODULE_PATH} explicitly and needs no openssl.cnf; the PIN goes in
 * the URI's {@code pin-value} (test PINs only).
 */
public final class OpenSsl {

    private OpenSsl() {
    }

    /**
     * @param tokenLabel the token
     * @param id the object's CKA_ID in hex
     * @param type {@code public} or {@code private}
     * @param pin the user PIN for private objects, or null
     * @return the RFC 7512 URI
     */
    public static String uri(String tokenLabel, String id, String type, String pin) {
        StringBuilder idPct = new StringBuilder();
        for (byte b : HexFormat.of().parseHex(id)) {
            idPct.append('%').append(String.format("%02x", b));
        }
        return "pkcs11:token=" + pct(tokenLabel) + ";id=" + idPct + ";type=" + type
                + (pin == null ? "" : ";pin-value=" + pct(pin));
    }

    /**
     * Runs openssl with the fixture's environment.
     *
     * @param fixture the fixture
     * @param args openssl arguments
     * @return the result (not checked)
     */
    public static ProcessResult run(SoftHsmFixture fixture, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SoftHsm.tool("openssl", "openssl").toString());
        cmd.addAll(List.of(args));
        return fixture.run(cmd);
    }

    /**
     * Runs openssl with the pkcs11 engine pointed at a module.
     *
     * @param fixture the fixture (SoftHSM environment)
     * @param module the PKCS#11 module
     * @param args openssl arguments
     * @return the result
     */
    public static ProcessResult withEngine(SoftHsmFixture fixture, Path module, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SoftHsm.tool("openssl", "openssl").toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(fixture.env());
        env.put("PKCS11_MODULE_PATH", module.toString());
        return Processes.run(env, new byte[0], cmd);
    }

    /**
     * Reads a public key from the token through the engine.
     *
     * @param fixture the fixture
     * @param tokenLabel the token
     * @param id the key's CKA_ID in hex
     * @return the public key as PEM ("-----BEGIN PUBLIC KEY-----")
     */
    public static String publicKeyPem(SoftHsmFixture fixture, String tokenLabel, String id) {
        return withEngine(fixture, fixture.softhsmModule(), "pkey", "-engine", "pkcs11", "-inform", "engine",
                "-pubin", "-in", uri(tokenLabel, id, "public", null), "-pubout").assertOk().stdout();
    }

    /**
     * Signs a file with the token's private key through the engine (SHA-256).
     *
     * @param fixture the fixture
     * @param tokenLabel the token
     * @param id the key's CKA_ID in hex
     * @param pin the user PIN
     * @param data the file to sign
     * @param signature where the signature goes
     * @return the result
     */
    public static ProcessResult sign(SoftHsmFixture fixture, String tokenLabel, String id, String pin, Path data,
                                     Path signature) {
        return withEngine(fixture, fixture.softhsmModule(), "dgst", "-sha256", "-engine", "pkcs11", "-keyform",
                "engine", "-sign", uri(tokenLabel, id, "private", pin), "-out", signature.toString(),
                data.toString());
    }

    private static String pct(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02x", b & 0xFF));
            }
        }
        return sb.toString();
    }
}
