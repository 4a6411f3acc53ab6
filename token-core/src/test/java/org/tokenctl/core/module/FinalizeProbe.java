package org.tokenctl.core.module;

import java.nio.file.Path;

/**
 * Opens and closes a module whose C_Finalize hangs for a while, in a process of its
 * own (the hang must not reach other tests), and reports each step on stderr:
 * how long the close took, what {@link Pkcs11Module#stillFinalizing} said, what an
 * open during the hang did, and whether an open after C_Finalize returned works.
 */
public final class FinalizeProbe {

    private FinalizeProbe() {
    }

    /**
     * @param args the hanging module's path, and another module's
     * @throws Exception if a step fails unexpectedly
     */
    public static void main(String[] args) throws Exception {
        Path module = Path.of(args[0]);
        Pkcs11Module m = Pkcs11Module.open(module);
        m.slots();
        // another module opened while the close waits for the hung C_Finalize must not wait with it
        Thread other = new Thread(() -> {
            try {
                Thread.sleep(500);
                long t0 = System.nanoTime();
                try (Pkcs11Module o = Pkcs11Module.open(Path.of(args[1]))) {
                    o.slots();
                }
                System.err.println("OTHER OPENED in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            } catch (Exception e) {
                System.err.println("OTHER FAILED " + e);
            }
        });
        other.start();
        long start = System.nanoTime();
        m.close();
        other.join();
        System.err.println("CLOSED after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        System.err.println("STILL " + Pkcs11Module.stillFinalizing());
        try (Pkcs11Module again = Pkcs11Module.open(module)) {
            System.err.println("REOPENED DURING THE HANG");
        } catch (ModuleInitializeException e) {
            System.err.println("REFUSED " + e.getMessage());
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Pkcs11Module.stillFinalizing().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        System.err.println("STILL " + Pkcs11Module.stillFinalizing());
        try (Pkcs11Module after = Pkcs11Module.open(module)) {
            System.err.println("REOPENED slots=" + after.slots().size());
        }
    }
}
