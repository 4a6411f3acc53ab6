package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class GuardStandingTest {

    @Test
    void saysHowFarEachLimitIsAndWhenTheLastAllowedPinWasSpent() {
        assertEquals("3 of 5 wrong PINs today; 3 in a row of 8", new GuardStanding(3, 5, 3, 8).describe());
        assertFalse(new GuardStanding(4, 5, 7, 8).exhausted());
        assertTrue(new GuardStanding(5, 5, 5, 8).exhausted());
        assertEquals("5 of 5 wrong PINs today; 5 in a row of 8: no further attempts today",
                new GuardStanding(5, 5, 5, 8).describe());
        assertTrue(new GuardStanding(1, 5, 8, 8).exhausted());
        assertEquals("5 of 5 wrong PINs today; 8 in a row of 8: no further attempts until the count is reset",
                new GuardStanding(5, 5, 8, 8).describe(), "the longer block is the one that matters");
    }

    @Test
    void aRecordOfAnotherDayCountsNothingToday() {
        LocalDate today = LocalDate.of(2026, 5, 5);
        GuardRecord yesterday = new GuardRecord("S1", UserType.USER, today.minusDays(1), 4, 6);
        assertEquals(new GuardStanding(0, 5, 6, 8), GuardStanding.of(yesterday, GuardLimits.BANK, today));
    }
}
