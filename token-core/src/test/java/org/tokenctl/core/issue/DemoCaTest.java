package org.tokenctl.core.issue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.Remedy;
import org.tokenctl.core.csr.SubjectName;
import org.tokenctl.core.key.KeySpec;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/** The throwaway CA: what OpenSSL makes of its files, and that they are never clobbered. */
@ExtendWith(SoftHsmExtension.class)
class DemoCaTest {

    @Test
    void writesACaCertificateAndAnOwnerOnlyKeyThatOpensslReads(SoftHsmFixture f) throws Exception {
        Path cert = f.root().resolve("demo-ca.pem");
        Path key = f.root().resolve("demo-ca.key");
        DemoCa ca = DemoCa.create(SubjectName.parse("CN=Demo CA,O=tokenctl"), KeySpec.RSA_2048, 100,
                Clock.systemUTC());
        ca.write(cert, key, false);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        String text = f.run(List.of("openssl", "x509", "-in", cert.toString(), "-noout", "-text")).assertOk().stdout();
        assertTrue(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"), text);
        assertTrue(text.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"), text);
        assertTrue(text.contains("Subject: O = tokenctl, CN = Demo CA"), text);
        // self-signed, and the key file is the certificate's key
        f.run(List.of("openssl", "verify", "-CAfile", cert.toString(), cert.toString())).assertOk();
        String fromKey = f.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout")).assertOk().stdout();
        String fromCert = f.run(List.of("openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey")).assertOk()
                .stdout();
        assertEquals(fromCert, fromKey);

        // usable as a local CA straight away
        LocalCa.load(cert, key, null, 30, Clock.systemUTC()).preflight();

        String before = Files.readString(key);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DemoCa.create(
                SubjectName.parse("CN=Other"), KeySpec.EC_P256, 10, Clock.systemUTC()).write(cert, key, false));
        assertEquals(cert + " already exists; not replacing it", e.getMessage());
        assertEquals(Optional.of(Remedy.REPLACE_EXISTING), e.remedy());
        assertEquals(before, Files.readString(key), "nothing was overwritten");

        DemoCa.create(SubjectName.parse("CN=Other"), KeySpec.EC_P256, 10, Clock.systemUTC()).write(cert, key, true);
        assertTrue(f.run(List.of("openssl", "x509", "-in", cert.toString(), "-noout", "-subject")).assertOk()
                .stdout().contains("CN = Other"));
        try (var files = Files.list(f.root())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary files left");
        }
    }
}
