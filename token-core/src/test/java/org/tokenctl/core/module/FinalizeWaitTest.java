package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * A module that hangs in C_Finalize (the emulator sleeps 8 s there) holds a close up
 * for {@link Pkcs11Module#FINALIZE_WAIT} at most; until the call returns the module
 * is named by {@link Pkcs11Module#stillFinalizing} and cannot be opened again, and
 * afterwards it opens as usual.
 */
@ExtendWith(SoftHsmExtension.class)
class FinalizeWaitTest {

    @Test
    void aHangInCFinalizeHoldsACloseUpForTheWaitAtMost(SoftHsmFixture f) throws Exception {
        f.initToken("finalize", "fin-so-pin", "24681357");
        Path module = f.emulateProfile("softhsm", Map.of("fault.function", "C_Finalize", "fault.delay_ms", "8000"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessResult r = Processes.run(f.env(), new byte[0], List.of(java, "-cp",
                System.getProperty("java.class.path"), FinalizeProbe.class.getName(), module.toString(),
                f.softhsmModule().toString()));
        assertEquals(0, r.exitCode(), r.both());
        Matcher closed = Pattern.compile("CLOSED after (\\d+) ms").matcher(r.stderr());
        assertTrue(closed.find(), r.both());
        long ms = Long.parseLong(closed.group(1));
        long wait = Pkcs11Module.FINALIZE_WAIT.toMillis();
        assertTrue(ms >= wait - 100 && ms < wait + 2000, "the close waited " + ms + " ms: " + r.both());
        assertTrue(r.stderr().contains("STILL [" + module.toRealPath() + "]"), r.both());
        Matcher other = Pattern.compile("OTHER OPENED in (\\d+) ms").matcher(r.stderr());
        assertTrue(other.find(), r.both());
        assertTrue(Long.parseLong(other.group(1)) < 2000, "another module's open waited for the close: " + r.both());
        assertTrue(r.stderr().contains("REFUSED PKCS#11 module " + module.toRealPath() + " failed to initialise"),
                r.both());
        assertTrue(r.stderr().contains("has not returned from the C_Finalize of its last close"), r.both());
        assertTrue(r.stderr().contains("STILL []"), "C_Finalize returned after 8 s: " + r.both());
        assertTrue(r.stderr().contains("REOPENED slots="), r.both());
    }
}
