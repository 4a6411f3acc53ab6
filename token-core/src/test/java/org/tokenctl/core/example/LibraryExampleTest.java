package org.tokenctl.core.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.admin.PinManager;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.enroll.Enrollment;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.enroll.EnrollmentResult;
import org.tokenctl.core.enroll.TokenMedium;
import org.tokenctl.core.issue.DemoCa;
import org.tokenctl.core.issue.LocalCa;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.core.module.Pkcs11Module;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.module.TokenSession;
import org.tokenctl.core.pin.FileAttemptGuard;
import org.tokenctl.core.pin.GuardLimits;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.pin.Pin;
import org.tokenctl.core.pin.PinPolicy;
import org.tokenctl.core.pin.UserType;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * The example in docs/library.md, run as it is written there, so that the page
 * cannot drift from the API; a second test checks that the page shows exactly the
 * code between the markers below.
 */
@ExtendWith(SoftHsmExtension.class)
class LibraryExampleTest {

    @Test
    void theReadmeExampleRuns(SoftHsmFixture fixture) throws Exception {
        fixture.initToken("alice", "so-pin-77", "12345678");
        Path moduleFile = fixture.softhsmModule();
        Path guardState = fixture.root().resolve("guard.state");
        DemoCa demo = DemoCa.create(SubjectName.parse("CN=Example CA"), KeySpec.EC_P256, 3650, Clock.systemUTC());
        LocalCa ca = new LocalCa(demo.certificate(), demo.key(), 365, Clock.systemUTC());

        // --- docs/library.md: the example ---
        try (Pkcs11Module module = Pkcs11Module.open(moduleFile)) {       // once per module file and JVM
            Token token = module.token(TokenSelector.label("alice"));       // thread-safe; a session per thread
            LoginOptions careful = LoginOptions.defaults(                    // refuses 12345678, never spends a final try
                    new FileAttemptGuard(guardState, GuardLimits.BANK, Clock.systemDefaultZone()));
            try (Pin initial = Pin.wrap("12345678".toCharArray());           // PINs are char[]: wiped on close
                 Pin mine = Pin.wrap("Own-PIN1".toCharArray())) {
                PinManager.changePin(token, UserType.USER, initial, mine, PinPolicy.BANK, careful);
            }
            try (TokenSession session = token.openSession(true);
                 Pin pin = Pin.wrap("Own-PIN1".toCharArray())) {
                session.login(UserType.USER, pin, careful);
                EnrollmentRequest request = new EnrollmentRequest(KeySpec.EC_P256,
                        KeySpec.EC_P256.signatureAlgorithm(null), null, "alice",
                        SubjectName.parse("CN=Alice Example,O=Example Bank"), null, false);
                EnrollmentResult result = Enrollment.run(new TokenMedium(session), request, ca);
                System.out.println(result.certificate().getSerialNumber().toString(16) + " expires "
                        + result.certificate().getNotAfter().toInstant());
                // --- end of the docs/library.md example ---
                assertTrue(result.verified().nonExportable());
                assertTrue(result.certificate().getNotAfter().toInstant().isAfter(Instant.now()));
                assertEquals("alice", result.label());
            }
        }
    }

    @Test
    void theLibraryPageShowsThisCode() throws Exception {
        Path root = SoftHsmFixture.repositoryRoot();
        String source = Files.readString(root.resolve(
                "token-core/src/test/java/org/tokenctl/core/example/LibraryExampleTest.java"), StandardCharsets.UTF_8);
        int start = source.indexOf('\n', source.indexOf("// --- docs/library.md: the example ---")) + 1;
        int end = source.lastIndexOf('\n', source.indexOf("// --- end of the docs/library.md example ---"));
        List<String> code = source.substring(start, end).lines().toList();
        int indent = code.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        String example = code.stream().map(l -> l.isBlank() ? "" : l.substring(indent))
                .collect(Collectors.joining("\n"));
        // the test closes the blocks after its own assertions; the page closes them at once
        String closing = "\n    }\n}\n";
        String page = Files.readString(root.resolve("docs/library.md"), StandardCharsets.UTF_8);
        assertTrue(example.lines().count() > 10, example);
        assertTrue(page.contains("```java\n" + example + closing + "```"),
                "docs/library.md shows the example as LibraryExampleTest runs it:\n" + example);
    }
}
