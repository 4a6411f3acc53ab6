package org.tokenctl.cli;

import java.nio.file.Path;

import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A throwaway local CA in a fixture's directory, made with {@code tokenctl ca init}.
 *
 * @param cert the CA certificate file
 * @param key the CA key file
 */
record TestCa(Path cert, Path key) {

    static TestCa make(SoftHsmFixture f) {
        TestCa ca = new TestCa(f.root().resolve("ca.pem"), f.root().resolve("ca.key"));
        new Cli(f).run("ca", "init", "--out-cert", ca.cert().toString(), "--out-key", ca.key().toString()).assertOk();
        return ca;
    }

    /** @return the issuing options that name this CA */
    String[] options() {
        return new String[] {"--ca-cert", cert.toString(), "--ca-key", key.toString()};
    }
}
