package org.tokenctl.core.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.module.ModuleLoadException;
import org.tokenctl.core.pin.PinCharacters;
import org.tokenctl.core.token.Memory;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;

class ProfileRegistryTest {

    @TempDir
    Path dir;

    private static TokenInfo madeBy(String manufacturer) {
        return new TokenInfo("t", manufacturer, "m", "s", Set.of(TokenFlag.TOKEN_INITIALIZED), 4, 255,
                new Memory(null, null, null, null), "1.0", "1.0");
    }

    @Test
    void everyBuiltInProfileLoadsWithTheBankRules() throws Exception {
        ProfileRegistry r = ProfileRegistry.builtIn();
        assertEquals(List.of("gd", "mingwah", "huada", "watchdata", "softhsm", "generic"),
                r.all().stream().map(VendorProfile::id).collect(Collectors.toList()));
        for (String bank : List.of("gd", "mingwah", "huada", "watchdata")) {
            VendorProfile p = r.get(bank);
            assertEquals(6, p.pinPolicy().minLength(), bank);
            assertEquals(10, p.pinPolicy().maxLength(), bank);
            assertEquals("12345678", new String(p.pinPolicy().initialPin()), bank);
            assertEquals(6, p.pinRetries(), bank);
            assertFalse(p.verified(), bank + " is not verified on hardware and must say so");
        }
        assertEquals(List.of("aetpkss1.dll"), r.get("gd").modulesFor(OperatingSystem.WINDOWS));
        assertTrue(r.get("gd").modulesFor(OperatingSystem.LINUX).contains("libaetpkss.so.3"));
        assertEquals(List.of("WDPKCS.dll"), r.get("watchdata").modulesFor(OperatingSystem.WINDOWS));
        assertFalse(r.get("gd").initTokenSupported());
        assertEquals(0, r.get("softhsm").pinRetries(), "SoftHSM never locks a PIN");
    }

    @Test
    void tokensAreRecognisedByManufacturerId() throws Exception {
        ProfileRegistry r = ProfileRegistry.builtIn();
        assertEquals("gd", r.detect(madeBy("Giesecke+Devrient")).id());
        assertEquals("gd", r.detect(madeBy("A.E.T. Europe B.V.")).id());
        assertEquals("watchdata", r.detect(madeBy("WatchData")).id());
        assertEquals("softhsm", r.detect(madeBy("SoftHSM project")).id());
        assertEquals("generic", r.detect(madeBy("Yubico")).id());
    }

    @Test
    void unknownProfileListsTheKnownOnes() throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.builtIn().get("acme"));
        assertEquals("Unknown profile 'acme' (known: gd, mingwah, huada, watchdata, softhsm, generic)", e.getMessage());
    }

    private Path copyOfBuiltIn(String id, String name) throws Exception {
        try (var in = ProfileRegistry.class.getResourceAsStream(id + ".properties")) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    @Test
    void userProfilesAddAndOverride() throws Exception {
        Path gd = copyOfBuiltIn("gd", "my-gd.properties");
        Files.writeString(gd, Files.readString(gd).replace("pin.characters = PRINTABLE_ASCII",
                "pin.characters = DIGITS").replace("module.linux = libaetpkss.so.3, libaetpkss.so",
                "module.linux = " + dir.resolve("libaetpkss.so.3")));
        Path acme = copyOfBuiltIn("generic", "acme.properties");
        Files.writeString(acme, Files.readString(acme).replace("id = generic", "id = acme"));
        ProfileRegistry r = ProfileRegistry.load(dir);
        assertEquals(PinCharacters.DIGITS, r.get("gd").pinPolicy().characters());
        assertEquals(gd.toString(), r.get("gd").source());
        assertEquals("acme", r.get("acme").id());
        // the module candidates come from the override, and the error lists what was tried
        ModuleLoadException e = assertThrows(ModuleLoadException.class, () -> ModuleCandidates.locate(r.get("gd")));
        assertEquals(ModuleLoadException.Reason.NOT_LOCATED, e.reason());
        assertTrue(e.getMessage().contains("tried " + dir.resolve("libaetpkss.so.3")), e.getMessage());
        Files.writeString(dir.resolve("libaetpkss.so.3"), "stand-in");
        assertEquals(dir.resolve("libaetpkss.so.3"), ModuleCandidates.locate(r.get("gd")));
    }

    /** A user profile's sm2.* constants: read as given, and each way of getting them wrong named. */
    @Test
    void sm2ConstantsAreReadAndCheckedWhereTheyAreGiven() throws Exception {
        Path huada = copyOfBuiltIn("huada", "my-huada.properties");
        String text = Files.readString(huada);
        java.util.function.Function<String, String> refused = t -> {
            try {
                Files.writeString(huada, t);
                return assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir)).getMessage();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        // the smallest and the largest constant PKCS#11's CK_ULONG of 32 bits holds
        Files.writeString(huada, text.replace("sm2.key_type = 0x80000004", "sm2.key_type = 1")
                .replace("sm2.sign = 0x80008100", "sm2.sign = 0xFFFFFFFF"));
        org.tokenctl.core.module.Sm2Mechanisms m = ProfileRegistry.load(dir).get("huada").sm2();
        assertEquals(1L, m.keyType());
        assertEquals(0x80008001L, m.keyPairGen());
        assertEquals(0xFFFFFFFFL, m.sign());
        assertEquals(org.tokenctl.core.module.Sm2Mechanisms.SignInput.MESSAGE, m.input());
        assertEquals(org.tokenctl.core.module.Sm2Mechanisms.Encoding.DER, m.encoding());
        assertTrue(m.privateKeyHasEcPoint());
        Files.writeString(huada, text.replace("sm2.sign.input = message", "sm2.sign.input = digest")
                .replace("sm2.signature = der", "sm2.signature = raw")
                .replace("sm2.private_ec_point = true", "sm2.private_ec_point = false"));
        m = ProfileRegistry.load(dir).get("huada").sm2();
        assertEquals(org.tokenctl.core.module.Sm2Mechanisms.SignInput.DIGEST, m.input());
        assertEquals(org.tokenctl.core.module.Sm2Mechanisms.Encoding.RAW, m.encoding());
        assertFalse(m.privateKeyHasEcPoint());

        assertTrue(refused.apply(text.replace("sm2.keygen = 0x80008001", "sm2.keygen = 0")).contains("sm2.keygen"));
        assertTrue(refused.apply(text.replace("sm2.keygen = 0x80008001", "sm2.keygen = 0x100000000"))
                .contains("sm2.keygen"));
        assertTrue(refused.apply(text.replace("sm2.sign.input = message", "sm2.sign.input = both"))
                .contains("sm2.sign.input (line "));
        assertTrue(refused.apply(text.replace("sm2.signature = der", "sm2.signature = ber"))
                .contains("sm2.signature (line "));
        assertTrue(refused.apply(text.replace("sm2.private_ec_point = true", "sm2.private_ec_point = yes"))
                .contains("sm2.private_ec_point (line "));
        assertTrue(refused.apply(text.replace("sm2.signature = der\n", "")).contains("lacks [sm2.signature]"));
        assertTrue(refused.apply(text.replace("key.specs = rsa:2048, sm2", "key.specs = rsa:2048"))
                .contains("gives sm2.* constants but key.specs does not list sm2"));
        String none = text.lines().filter(l -> !l.startsWith("sm2.")).collect(Collectors.joining("\n")) + "\n";
        assertTrue(refused.apply(none).contains("lists sm2 in key.specs but gives no sm2.* constants"));
    }

    @Test
    void malformedProfilesNameTheFileAndTheKey() throws Exception {
        Path bad = copyOfBuiltIn("gd", "bad.properties");
        Files.writeString(bad, Files.readString(bad).replace("pin.max = 10", "pin.max = ten"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("pin.max"), e.getMessage());

        Files.writeString(bad, Files.readString(bad).replace("pin.max = ten", "pin.max = 10")
                .replace("init_token = refuse", "init_token = refuse\npin.retry = 3"));
        e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        int line = (int) Files.readString(bad).lines().takeWhile(l -> !l.startsWith("pin.retry")).count() + 1;
        assertTrue(e.getMessage().contains("has an unknown key on line " + line + " (allowed: "), e.getMessage());
        assertTrue(e.getMessage().contains("pin.retries, quirks, sm2.key_type, sm2.keygen, sm2.private_ec_point, sm2.sign,"
                + " sm2.sign.input, sm2.signature, so_pin.retries, verified)"), e.getMessage());

        Files.writeString(bad, "id = x\n");
        e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("lacks keys"), e.getMessage());
    }

    @Test
    void aPinFileAmongTheProfilesIsNeverQuoted() throws Exception {
        // the PIN is the file's one "key": the error names the file and the line, not the PIN
        Path pin = Files.writeString(dir.resolve("user.properties"), "Us3rPq9x\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains(pin + " has an unknown key on line 1 (allowed: "), e.getMessage());
        assertFalse(e.getMessage().contains("Us3rPq9x"), e.getMessage());

        // and as a value that is refused: pin.max holding a PIN
        Files.delete(pin);
        Path bad = copyOfBuiltIn("gd", "bad.properties");
        Files.writeString(bad, Files.readString(bad).replace("pin.max = 10", "pin.max = S0pinZq7")
                .replace("init_token = refuse", "init_token = Us3rPq9x"));
        e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("pin.max (line "), e.getMessage());
        assertFalse(e.getMessage().contains("S0pinZq7"), e.getMessage());
        Files.writeString(bad, Files.readString(bad).replace("pin.max = S0pinZq7", "pin.max = 10"));
        e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("init_token (line "), e.getMessage());
        assertFalse(e.getMessage().contains("Us3rPq9x"), e.getMessage());
        Files.writeString(bad, Files.readString(bad).replace("init_token = Us3rPq9x", "init_token = refuse")
                .replace("id = gd", "id = S0pinZq7"));
        e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("id (line "), e.getMessage());
        assertFalse(e.getMessage().contains("S0pinZq7"), e.getMessage());
    }

    @Test
    void aProfileThatIsADeviceIsRefusedBeforeItIsOpened() throws Exception {
        Files.createSymbolicLink(dir.resolve("zz.properties"), Path.of("/dev/zero"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("zz.properties is a character device, not a regular file"), e.getMessage());
    }

    @Test
    void aProfileLargerThanTheLimitIsNotReadWhole() throws Exception {
        Files.write(dir.resolve("zz.properties"), new byte[64 * 1024 + 1]);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("zz.properties is larger than 64 KiB"), e.getMessage());
    }

    @Test
    void aProfileThatIsNotUtf8NamesTheLine() throws Exception {
        Path bad = copyOfBuiltIn("gd", "bad.properties");
        byte[] content = Files.readAllBytes(bad);
        byte[] withLatin1 = new byte[content.length + 3];
        System.arraycopy("#\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, withLatin1, 0, 2);
        withLatin1[2] = (byte) 0xFF;
        System.arraycopy(content, 0, withLatin1, 3, content.length);
        Files.write(bad, withLatin1);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains(bad + " is not valid UTF-8 (line 2)"), e.getMessage());
    }

    @Test
    void aModuleNameIsSearchedForAndAPathIsTakenAsItIs() throws Exception {
        VendorProfile gd = ProfileRegistry.builtIn().get("gd");
        List<Path> tried = ModuleCandidates.paths(gd, OperatingSystem.LINUX);
        assertEquals(Path.of("/usr/lib/libaetpkss.so.3"), tried.get(0));
        assertTrue(tried.contains(Path.of("/usr/lib/x86_64-linux-gnu/libaetpkss.so")), tried.toString());
        assertTrue(tried.stream().allMatch(Path::isAbsolute), "a bare name is never tried relative to the cwd");
        assertEquals(2 * ModuleCandidates.SEARCH_DIRS.get(OperatingSystem.LINUX).size(), tried.size());
        VendorProfile softhsm = ProfileRegistry.builtIn().get("softhsm");
        assertEquals(softhsm.modulesFor(OperatingSystem.LINUX).stream().map(Path::of).collect(Collectors.toList()),
                ModuleCandidates.paths(softhsm, OperatingSystem.LINUX));
    }

    @Test
    void emptyItemsInAListAreNotPatternsThatMatchEverything() throws Exception {
        Path p = copyOfBuiltIn("gd", "gaps.properties");
        Files.writeString(p, Files.readString(p).replaceFirst("manufacturer.patterns = .*",
                "manufacturer.patterns = (?i)acme.*, , ,(?i)example.*,"));
        VendorProfile gd = ProfileRegistry.load(dir).get("gd");
        assertEquals(2, gd.manufacturerPatterns().size());
        assertFalse(gd.recognises(madeBy("Other Corp")), "an empty pattern would have matched this");
        assertTrue(gd.recognises(madeBy("Example Ltd")));
    }

    @Test
    void aPatternThatIsNotARegexIsNamedByItsPlace() throws Exception {
        Path p = copyOfBuiltIn("gd", "regex.properties");
        Files.writeString(p, Files.readString(p).replaceFirst("manufacturer.patterns = .*",
                "manufacturer.patterns = (?i)acme.*, [secret"));
        int line = (int) Files.readString(p).lines().takeWhile(l -> !l.startsWith("manufacturer.patterns")).count()
                + 1;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ProfileRegistry.load(dir));
        assertTrue(e.getMessage().contains("manufacturer.patterns (line " + line + ") pattern 2 is not a Java regular"
                + " expression (Unclosed character class at index 6)"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void userProfilesAreReadInNameOrderSoTheLastNameWins() throws Exception {
        // many names, created out of order: a directory's own order (a hash on ext4) seldom ends on the last name
        for (String name : new String[] {"k.properties", "b.properties", "z.properties", "a.properties", "q.properties",
                "m.properties", "c.properties", "x.properties", "d.properties", "y.properties", "e.properties"}) {
            Path p = copyOfBuiltIn("generic", name);
            Files.writeString(p, Files.readString(p).replace("id = generic", "id = same")
                    .replaceFirst("name = .*", "name = from " + name));
        }
        assertEquals("from z.properties", ProfileRegistry.load(dir).get("same").name());
    }

    @Test
    void theOperatingSystemIsReadFromTheJvm() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"));
        assertEquals(OperatingSystem.LINUX, OperatingSystem.current());
    }
}
