package org.tokenctl.core.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.module.Pkcs11Module;

/**
 * PINs live in char arrays and never become Strings in token-core. A String
 * cannot be wiped, so a PIN that became one would linger in the heap.
 *
 * <p>This scans every compiled token-core class for the JDK calls that turn a
 * char array into a String. Only classes that decode PKCS#11 text fields
 * (labels, serials) may make them; a new caller fails this test until someone
 * has checked that it never sees a PIN.
 */
class NoPinStringsTest {

    /** The calls that build a String from chars. */
    private static final Set<String> CHARS_TO_STRING = Set.of(
            "java/lang/String.<init>:([C)V", "java/lang/String.<init>:([CII)V",
            "java/lang/String.valueOf:([C)Ljava/lang/String;", "java/lang/String.valueOf:([CII)Ljava/lang/String;",
            "java/lang/String.copyValueOf:([C)Ljava/lang/String;",
            "java/lang/String.copyValueOf:([CII)Ljava/lang/String;",
            "java/nio/CharBuffer.toString:()Ljava/lang/String;",
            "java/lang/StringBuilder.append:([C)Ljava/lang/StringBuilder;",
            "java/lang/StringBuilder.append:([CII)Ljava/lang/StringBuilder;",
            "java/util/Arrays.toString:([C)Ljava/lang/String;");

    /** Classes that may, each with the reason it never handles a PIN. */
    private static final Map<String, String> ALLOWED = Map.of(
            "org/tokenctl/core/module/Text", "decodes blank-padded CK_TOKEN_INFO/CK_SLOT_INFO text fields",
            "org/tokenctl/core/uri/Pkcs11Uri", "decodes a URI's path attributes (token and object names);"
                    + " the one PIN a URI can hold, the query's pin-value, is refused without being decoded");

    @Test
    void noCoreClassTurnsCharsIntoStringsExceptTheAllowedOnes() throws Exception {
        Path classes = Path.of(Pkcs11Module.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, List<String>> offenders = new TreeMap<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                scanned++;
                String name = classes.relativize(f).toString().replace('\\', '/').replaceAll("\\.class$", "");
                String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                try (InputStream in = Files.newInputStream(f)) {
                    List<String> hits = new ArrayList<>();
                    for (String ref : ClassFileRefs.methodRefs(in)) {
                        if (CHARS_TO_STRING.contains(ref)) {
                            hits.add(ref);
                        }
                    }
                    if (!hits.isEmpty() && !ALLOWED.containsKey(outer)) {
                        offenders.put(name, hits);
                    }
                }
            }
        }
        assertTrue(scanned > 30, "scanned the compiled classes of token-core (" + scanned + ")");
        assertEquals(Map.of(), offenders, "classes that build Strings from char arrays");
    }

    @Test
    void theScannerSeesSuchCallsWhereTheyAre() throws Exception {
        try (InputStream in = Pkcs11Module.class.getResourceAsStream("Text.class")) {
            assertTrue(ClassFileRefs.methodRefs(in).contains("java/lang/String.<init>:([CII)V"),
                    "the scanner must find the one known use, or it proves nothing");
        }
    }
}
