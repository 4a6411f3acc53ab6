package org.tokenctl.cli.options;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.tokenctl.core.key.HashAlgorithm;
import org.tokenctl.core.key.KeySpec;

/**
 * What the shell completion offers as an option's value. The fixed sets are
 * picocli completion candidates, written into the generated script; the values that
 * depend on what is plugged in or configured (token labels, serials, slot ids,
 * profiles) are asked of {@code tokenctl complete-values} when the user presses Tab
 * ({@link #DYNAMIC}).
 */
public final class Completions {

    /** The options whose values come from {@code tokenctl complete-values WHAT} (option, WHAT). */
    public static final List<String[]> DYNAMIC = List.of(new String[] {"--token-label", "token-label"},
            new String[] {"--serial", "serial"}, new String[] {"--slot", "slot"},
            new String[] {"--profile", "profile"});

    private Completions() {
    }

    /** {@code --key-spec}: every key spec tokenctl knows. */
    public static final class KeySpecs implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(KeySpec.values()).map(KeySpec::spec).iterator();
        }
    }

    /** {@code --hash}. */
    public static final class Hashes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(HashAlgorithm.values()).map(HashAlgorithm::spec).iterator();
        }
    }

    /** {@code ca revoke --reason}. */
    public static final class RevocationReasons implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(org.tokenctl.core.issue.RevocationReason.values())
                    .map(org.tokenctl.core.issue.RevocationReason::asn1Name).iterator();
        }
    }

    /** {@code enroll --medium}. */
    public static final class Media implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("token", "p12").iterator();
        }
    }

    /** {@code delete --type}. */
    public static final class DeleteTypes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("all", "pair", "cert", "private", "public").iterator();
        }
    }
}
