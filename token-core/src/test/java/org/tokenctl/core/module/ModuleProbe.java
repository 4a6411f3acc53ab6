package org.tokenctl.core.module;

import java.nio.file.Path;

/**
 * Opens a module in a process of its own (SOFTHSM2_CONF is read from the process
 * environment, which a test JVM cannot change) and reports on stderr. Anything
 * on stdout is a leak from the wrapper's logger.
 */
public final class ModuleProbe {

    private ModuleProbe() {
    }

    /**
     * @param args the module path
     */
    public static void main(String[] args) {
        try (Pkcs11Module m = Pkcs11Module.open(Path.of(args[0]))) {
            System.err.println("OK slots=" + m.slots().size());
        } catch (Exception e) {
            System.err.println("ERR " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
