package org.tokenctl.core.pin;

/**
 * Where the attempt guard stands for one PIN of one token right after a wrong PIN:
 * how close the next wrong PIN brings it to refusing. Told to the holder with every
 * wrong PIN, not only once the guard refuses, so that nobody tries a fifth guess
 * without knowing it is the last one of the day.
 *
 * @param daily wrong PINs today, this one included
 * @param dailyLimit wrong PINs allowed per day
 * @param consecutive wrong PINs in a row, this one included
 * @param consecutiveLimit wrong PINs in a row allowed before a reset is needed
 */
public record GuardStanding(int daily, int dailyLimit, int consecutive, int consecutiveLimit) {

    /**
     * @param record the guard's record for the PIN
     * @param limits the guard's thresholds
     * @param today the day the attempt was made
     * @return the standing the record and the limits describe
     */
    static GuardStanding of(GuardRecord record, GuardLimits limits, java.time.LocalDate today) {
        return new GuardStanding(record.dailyOn(today), limits.dailyLimit(), record.consecutive(),
                limits.consecutiveLimit());
    }

    /** @return whether the guard now refuses further attempts (today, or until a reset) */
    public boolean exhausted() {
        return daily >= dailyLimit || consecutive >= consecutiveLimit;
    }

    /**
     * @return "3 of 5 wrong PINs today; 3 in a row of 8", and when this was the last one
     *         allowed, until when the guard now refuses
     */
    public String describe() {
        String s = daily + " of " + dailyLimit + " wrong PINs today; " + consecutive + " in a row of "
                + consecutiveLimit;
        if (consecutive >= consecutiveLimit) {
            return s + ": no further attempts until the count is reset";
        }
        return daily >= dailyLimit ? s + ": no further attempts today" : s;
    }
}
