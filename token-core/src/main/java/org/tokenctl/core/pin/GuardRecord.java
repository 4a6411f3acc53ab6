package org.tokenctl.core.pin;

import java.time.LocalDate;

/**
 * What the attempt guard remembers about one PIN of one token.
 *
 * @param serial the token serial
 * @param userType whose PIN
 * @param day the calendar day {@code daily} counts
 * @param daily wrong PINs on that day
 * @param consecutive wrong PINs since the last correct one (or the last reset)
 */
public record GuardRecord(String serial, UserType userType, LocalDate day, int daily, int consecutive) {

    /**
     * @param today the current day
     * @return wrong PINs counted today
     */
    public int dailyOn(LocalDate today) {
        return today.equals(day) ? daily : 0;
    }
}
