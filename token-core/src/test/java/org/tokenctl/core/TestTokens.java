package org.tokenctl.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.AttemptGuard;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmFixture;

/** Shared set-up for token-core tests on SoftHSM: a logged-in read-write session, and openssl facts. */
public final class TestTokens {

    private TestTokens() {
    }

    /**
     * @param module an open module
     * @param label the token
     * @param pin its user PIN
     * @return a read-write session logged in as the user
     * @throws Exception if anything fails
     */
    public static TokenSession userSession(Pkcs11Module module, String label, String pin) throws Exception {
        Token token = module.token(TokenSelector.label(label));
        TokenSession s = token.openSession(true);
        try (Pin p = Pin.wrap(pin.toCharArray())) {
            s.login(UserType.USER, p, LoginOptions.defaults(AttemptGuard.disabled()));
        }
        return s;
    }

    /**
     * The default CKA_ID of a public key, computed from what openssl (not tokenctl) says
     * the key is: SHA-1 of the RSA modulus, or of the EC point 04||X||Y.
     *
     * @param f the fixture (to run openssl)
     * @param publicKeyPem the public key
     * @return the id in lower-case hex
     * @throws Exception if openssl fails
     */
    public static String nssIdByOpenssl(SoftHsmFixture f, String publicKeyPem) throws Exception {
        Path pem = Files.createTempFile(f.root(), "pub", ".pem");
        Files.writeString(pem, publicKeyPem);
        String text = f.run(List.of("openssl", "pkey", "-pubin", "-in", pem.toString(), "-noout", "-text"))
                .assertOk().stdout();
        String hex;
        Matcher rsa = Pattern.compile("Modulus:\\s*\\n((?:\\s+[0-9a-f:]+\\n)+)").matcher(text);
        Matcher ec = Pattern.compile("pub:\\s*\\n((?:\\s+[0-9a-f:]+\\n)+)").matcher(text);
        if (rsa.find()) {
            hex = rsa.group(1).replaceAll("[\\s:]", "").replaceFirst("^(00)+", "");
        } else if (ec.find()) {
            hex = ec.group(1).replaceAll("[\\s:]", "");
        } else {
            throw new AssertionError("no modulus or point in: " + text);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(HexFormat.of().parseHex(hex)));
    }
}
