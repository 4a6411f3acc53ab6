package org.tokenctl.core.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

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
 * The example in README ("Using token-core"), run as it is written there, so that
 * the README cannot drift from the API.
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

        // --- README: Using token-core ---
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
                // --- end of the README example ---
                assertTrue(result.verified().nonExportable());
                assertTrue(result.certificate().getNotAfter().toInstant().isAfter(Instant.now()));
                assertEquals("alice", result.label());
            }
        }
    }
}
