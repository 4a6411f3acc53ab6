package org.tokenctl.core.pin;

/**
 * The attempt guard's thresholds. The default is the bank's rule for its
 * one-time-password card, used as a client-side safety net: 5 wrong PINs in one
 * calendar day block the token until the next day; 8 wrong PINs in a row (which,
 * at 5 a day, spans at least two days) block it until the count is reset (for the
 * user PIN, by the SO: see {@link AttemptGuard#reset}).
 *
 * @param dailyLimit wrong PINs allowed per token and calendar day before attempts stop for the day
 * @param consecutiveLimit wrong PINs in a row (no correct PIN between them) before attempts stop until reset
 */
public record GuardLimits(int dailyLimit, int consecutiveLimit) {

    /** The bank's rule: 5 a day, 8 in a row. */
    public static final GuardLimits BANK = new GuardLimits(5, 8);

    /**
     * Checks that both limits are positive.
     *
     * @param dailyLimit wrong PINs allowed per token and calendar day before attempts stop for the day
     * @param consecutiveLimit wrong PINs in a row (no correct PIN between them) before attempts stop until reset
     */
    public GuardLimits {
        if (dailyLimit < 1 || consecutiveLimit < 1) {
            throw new IllegalArgumentException("guard limits must be positive: " + dailyLimit + ", " + consecutiveLimit);
        }
    }
}
