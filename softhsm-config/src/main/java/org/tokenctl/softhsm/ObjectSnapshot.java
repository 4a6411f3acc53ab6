package org.tokenctl.softhsm;

import java.util.ArrayList;
import java.util.List;

/**
 * Every object on a token as pkcs11-tool (OpenSC, independent of tokenctl) lists
 * it after a user login, one block per object, sorted: two snapshots are equal
 * exactly when the token holds the same objects with the same attributes, in
 * whatever order the module returns them. Tests take one before and one after an
 * operation that must leave the token unchanged.
 *
 * @param objects the object blocks ("Private Key Object; RSA\n  label: ...")
 */
public record ObjectSnapshot(List<String> objects) {

    /**
     * @param fixture the fixture whose SoftHSM tokens to read
     * @param tokenLabel the token
     * @param userPin its user PIN
     * @return the snapshot
     * @throws AssertionError if pkcs11-tool fails
     */
    public static ObjectSnapshot of(SoftHsmFixture fixture, String tokenLabel, String userPin) {
        String out = fixture.pkcs11Tool("--token-label", tokenLabel, "--login", "--pin", userPin, "--list-objects")
                .assertOk().stdout();
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : out.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (current != null) {
                    blocks.add(current.toString());
                }
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            blocks.add(current.toString());
        }
        blocks.sort(null);
        return new ObjectSnapshot(List.copyOf(blocks));
    }

    /** @return how many objects the token holds */
    public int size() {
        return objects.size();
    }

    /**
     * @param kind e.g. "Private Key Object", "Certificate Object"
     * @return the blocks of that kind
     */
    public List<String> ofKind(String kind) {
        return objects.stream().filter(b -> b.startsWith(kind)).toList();
    }

    @Override
    public String toString() {
        return String.join("", objects);
    }
}
