package org.tokenctl.core.pin;

import java.util.Arrays;
import java.util.Objects;

import org.tokenctl.core.token.TokenInfo;

/**
 * What a new PIN must look like, as data: a length range, a character set, and
 * the issuer's initial PIN that may not be kept. Checked before any call that
 * would set the PIN on the token. Vendor profiles supply their own values.
 *
 * @param minLength fewest characters
 * @param maxLength most characters
 * @param characters allowed characters
 * @param initialPin the issuer's initial PIN, which a holder's PIN must differ from; null when none
 */
public record PinPolicy(int minLength, int maxLength, PinCharacters characters, char[] initialPin) {

    /** The bank rule: 6 to 10 printable ASCII characters, not the initial PIN 12345678. */
    public static final PinPolicy BANK = new PinPolicy(6, 10, PinCharacters.PRINTABLE_ASCII,
            LoginOptions.bankInitialPin());

    /**
     * Checks the range and copies the initial PIN.
     *
     * @param minLength fewest characters
     * @param maxLength most characters
     * @param characters allowed characters
     * @param initialPin the issuer's initial PIN, which a holder's PIN must differ from; null when none
     */
    public PinPolicy {
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("PIN length range " + minLength + ".." + maxLength);
        }
        Objects.requireNonNull(characters, "characters");
        initialPin = initialPin == null ? null : Arrays.copyOf(initialPin, initialPin.length);
    }

    /**
     * A policy for PINs that only the token constrains (the SO PIN): the token's own
     * length range, printable ASCII, no initial-PIN rule.
     *
     * @return the permissive policy
     */
    public static PinPolicy tokenRangeOnly() {
        return new PinPolicy(1, Integer.MAX_VALUE, PinCharacters.PRINTABLE_ASCII, null);
    }

    /** @return a copy of the initial PIN, or null when there is none */
    @Override
    public char[] initialPin() {
        return initialPin == null ? null : initialPin.clone();
    }

    /**
     * @param pin another initial PIN (or null for none)
     * @return a copy of this policy with that initial PIN
     */
    public PinPolicy withInitialPin(char[] pin) {
        return new PinPolicy(minLength, maxLength, characters, pin);
    }

    /**
     * Checks a new PIN.
     *
     * @param newPin the PIN about to be set
     * @param currentPin the PIN it replaces, or null when unknown (e.g. an unblock)
     * @param token the token, whose ulMinPinLen/ulMaxPinLen narrow the range; null to ignore
     * @param who whose PIN it is: the message names it ("the new SO PIN must ..."), since
     *            {@code init} sets two PINs at once
     * @throws PinPolicyException naming the PIN and the first rule broken
     */
    public void check(Pin newPin, Pin currentPin, TokenInfo token, UserType who) throws PinPolicyException {
        String the = "The new " + who.pinName();
        int min = minLength;
        int max = maxLength;
        if (token != null) {
            min = (int) Math.max(min, Math.min(token.minPinLength(), Integer.MAX_VALUE));
            // 0 or CK_UNAVAILABLE_INFORMATION-sized values mean "no limit"
            if (token.maxPinLength() > 0 && token.maxPinLength() < max) {
                max = (int) token.maxPinLength();
            }
        }
        if (min > max) {
            throw new PinPolicyException(PinPolicyException.Rule.UNSATISFIABLE, who, "No " + who.pinName()
                    + " can satisfy both the policy (" + minLength + " to " + maxLength + " characters) and the token ("
                    + token.minPinLength() + " to " + token.maxPinLength() + ")");
        }
        char[] c = newPin.chars();
        if (c.length < min || c.length > max) {
            throw new PinPolicyException(PinPolicyException.Rule.LENGTH, who, the + " must be " + range(min, max)
                    + " characters; got " + c.length);
        }
        for (char ch : c) {
            if (!characters.allows(ch)) {
                throw new PinPolicyException(PinPolicyException.Rule.CHARACTERS, who, the + " must contain only "
                        + characters.description() + "; it has " + describe(ch));
            }
        }
        if (initialPin != null && newPin.sameAs(initialPin)) {
            throw new PinPolicyException(PinPolicyException.Rule.INITIAL_PIN, who,
                    the + " must not be the issuer's initial PIN; choose your own");
        }
        if (currentPin != null && newPin.sameAs(currentPin)) {
            throw new PinPolicyException(PinPolicyException.Rule.SAME_AS_CURRENT, who,
                    the + " must differ from the current one");
        }
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
    }

    /** Names a refused character without echoing the PIN: its class, never its value. */
    private static String describe(char ch) {
        if (Character.isISOControl(ch)) {
            return "a control character";
        }
        if (ch > 0x7E) {
            return "a non-ASCII character";
        }
        if (Character.isLetter(ch)) {
            return "a letter";
        }
        return Character.isDigit(ch) ? "a digit" : "a symbol or space";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PinPolicy && ((PinPolicy) o).minLength == minLength && ((PinPolicy) o).maxLength == maxLength
                && ((PinPolicy) o).characters == characters && Arrays.equals(((PinPolicy) o).initialPin, initialPin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minLength, maxLength, characters, Arrays.hashCode(initialPin));
    }

    @Override
    public String toString() {
        return "PinPolicy[" + range(minLength, maxLength) + " " + characters.description()
                + (initialPin == null ? "" : ", not the initial PIN") + "]";
    }
}
