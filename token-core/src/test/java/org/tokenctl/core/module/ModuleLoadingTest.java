package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.softhsm.ProcessResult;
import org.tokenctl.softhsm.Processes;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

@ExtendWith(SoftHsmExtension.class)
class ModuleLoadingTest {

    @TempDir
    Path tmp;

    @Test
    void missingFileIsNotFound() {
        ModuleLoadException e = assertThrows(ModuleLoadException.class,
                () -> Pkcs11Module.open(tmp.resolve("nope.so")));
        assertEquals(ModuleLoadException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("nope.so: no such file"), e.getMessage());
    }

    @Test
    void directoryIsNotAFile() {
        assertEquals(ModuleLoadException.Reason.NOT_A_FILE,
                assertThrows(ModuleLoadException.class, () -> Pkcs11Module.open(tmp)).reason());
    }

    @Test
    void textFileIsNotALibrary() throws Exception {
        Path text = Files.writeString(tmp.resolve("module.so"), "not a library\n");
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> Pkcs11Module.open(text));
        assertEquals(ModuleLoadException.Reason.NOT_A_LIBRARY, e.reason());
    }

    @Test
    void sharedLibraryWithoutPkcs11EntryPointIsNotPkcs11() {
        Path libz = List.of(Path.of("/lib/x86_64-linux-gnu/libz.so.1"), Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1"),
                Path.of("/lib/aarch64-linux-gnu/libz.so.1")).stream().filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError("zlib (libz.so.1) not found; it is part of every Debian system"));
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> Pkcs11Module.open(libz));
        assertEquals(ModuleLoadException.Reason.NOT_PKCS11, e.reason(), e.getMessage());
    }

    @Test
    void thirtyTwoBitLibraryIsTheWrongArchitecture() throws Exception {
        byte[] elf32 = new byte[52];
        elf32[0] = 0x7F;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1; // ELFCLASS32
        elf32[5] = 1; // little endian
        elf32[6] = 1;
        elf32[16] = 3; // ET_DYN
        elf32[18] = 3; // EM_386
        Path lib = Files.write(tmp.resolve("lib32.so"), elf32);
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> Pkcs11Module.open(lib));
        assertEquals(ModuleLoadException.Reason.WRONG_ARCHITECTURE, e.reason());
        assertTrue(e.getMessage().contains("32-bit library in a 64-bit JVM"), e.getMessage());
    }

    @Test
    void oneInitialisationIsSharedAndFinalisedByTheLastHandle(SoftHsmFixture fixture) throws Exception {
        Pkcs11Module a = Pkcs11Module.open(fixture.softhsmModule());
        Pkcs11Module b = Pkcs11Module.open(fixture.softhsmModule());
        assertEquals(a.path(), b.path());
        assertFalse(a.slots().isEmpty());
        a.close();
        assertFalse(b.slots().isEmpty(), "closing one handle must not finalise the module under the other");
        Token t1 = b.token(b.slots().get(0));
        assertSame(t1, b.token(b.slots().get(0)));
        b.close();
        assertThrows(IllegalStateException.class, b::slots);
        try (Pkcs11Module c = Pkcs11Module.open(fixture.softhsmModule())) {
            assertEquals("2.40", c.info().cryptokiVersion(), "re-initialising after C_Finalize must work");
        }
    }

    private static ProcessResult probe(Path module, Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Processes.run(env, new byte[0], List.of(java, "-cp", System.getProperty("java.class.path"),
                ModuleProbe.class.getName(), module.toString()));
    }

    @Test
    void missingSoftHsmConfigGivesAClearMessageAndNothingOnStdout(SoftHsmFixture fixture) {
        ProcessResult r = probe(fixture.softhsmModule(), Map.of("SOFTHSM2_CONF", tmp.resolve("absent.conf").toString()));
        assertEquals("", r.stdout(), "nothing may reach stdout: " + r.both());
        assertTrue(r.stderr().contains("ERR ModuleInitializeException"), r.both());
        assertTrue(r.stderr().contains("CKR_GENERAL_ERROR; SOFTHSM2_CONF=" + tmp.resolve("absent.conf")
                + " does not exist"), r.both());
    }

    @Test
    void missingTokenDirectoryGivesAClearMessage(SoftHsmFixture fixture) throws Exception {
        Path conf = Files.writeString(tmp.resolve("s.conf"), "directories.tokendir = " + tmp.resolve("gone") + "\n");
        ProcessResult r = probe(fixture.softhsmModule(), Map.of("SOFTHSM2_CONF", conf.toString()));
        assertTrue(r.stderr().contains("SoftHSM token directory " + tmp.resolve("gone") + " (from " + conf
                + ") does not exist"), r.both());
    }

    @Test
    void workingModuleLeavesStdoutClean(SoftHsmFixture fixture) {
        ProcessResult r = probe(fixture.softhsmModule(), fixture.env());
        assertEquals("", r.stdout(), "the wrapper's logger must not write to stdout: " + r.both());
        assertTrue(r.stderr().startsWith("OK slots="), r.both());
    }
}
