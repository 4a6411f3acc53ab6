package org.tokenctl.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tokenctl.core.token.TokenSelector;
import org.tokenctl.softhsm.SoftHsmExtension;
import org.tokenctl.softhsm.SoftHsmFixture;

/**
 * Read-only calls are retried on CKR_GENERAL_ERROR (what SoftHSM answers while
 * another process rewrites the token's files), and only on that: the vendor
 * emulator fails C_GetTokenInfo and its trace shows each call made.
 */
@ExtendWith(SoftHsmExtension.class)
class QueryRetryTest {

    private static SoftHsmFixture fixture;

    @BeforeAll
    static void token(SoftHsmFixture f) {
        fixture = f;
        f.initToken("query", "so-secret-7", "31415926");
    }

    /** Opens the emulator with C_GetTokenInfo failing as configured, selects the token, returns the trace. */
    private static List<String> tokenInfoCalls(String rv, String repeat, boolean expectFound) throws Exception {
        Path trace = fixture.root().resolve("trace-" + rv + "-" + repeat);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("fault.function", "C_GetTokenInfo");
        conf.put("fault.call", "1");
        conf.put("fault.rv", rv);
        conf.put("fault.repeat", repeat);
        conf.put("trace.file", trace.toString());
        fixture.writeEmulatorConfig(conf);
        try (Pkcs11Module m = Pkcs11Module.open(fixture.emulatorModule())) {
            if (expectFound) {
                assertEquals("query", m.token(TokenSelector.label("query")).info().label());
            } else {
                Pkcs11CallException e = assertThrows(Pkcs11CallException.class,
                        () -> m.token(TokenSelector.label("query")));
                assertEquals("C_GetTokenInfo", e.function());
                assertEquals(rv, e.ckrName());
            }
        }
        return Files.readAllLines(trace).stream().filter(l -> l.startsWith("C_GetTokenInfo "))
                .collect(Collectors.toList());
    }

    @Test
    void aPassingGeneralErrorIsRetried() throws Exception {
        List<String> calls = tokenInfoCalls("CKR_GENERAL_ERROR", "once", true);
        assertEquals("C_GetTokenInfo CKR_GENERAL_ERROR", calls.get(0));
        assertEquals("C_GetTokenInfo CKR_OK", calls.get(1), "the same read, again: " + calls);
    }

    @Test
    void aLastingGeneralErrorIsReportedAfterThreeTries() throws Exception {
        assertEquals(List.of("C_GetTokenInfo CKR_GENERAL_ERROR", "C_GetTokenInfo CKR_GENERAL_ERROR",
                "C_GetTokenInfo CKR_GENERAL_ERROR"), tokenInfoCalls("CKR_GENERAL_ERROR", "always", false));
    }

    @Test
    void otherErrorsAreNotRetried() throws Exception {
        List<String> calls = tokenInfoCalls("CKR_DEVICE_ERROR", "once", false);
        assertEquals(List.of("C_GetTokenInfo CKR_DEVICE_ERROR"), calls);
    }
}
