package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.tokenctl.core.Failure;
import org.tokenctl.core.module.Pkcs11CallException;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.module.Pkcs11;

/**
 * What each PIN failure says and which kind of failure it is: the words an operator
 * reads and the exit code a script branches on, without a token.
 */
class PinFailuresTest {

    @Test
    void aWrongPinSaysWhatTheTokenNowReports() {
        Throwable cause = new RuntimeException("CKR_PIN_INCORRECT");
        PinIncorrectException ok = new PinIncorrectException(UserType.USER, PinState.OK, cause);
        assertEquals("Wrong user PIN", ok.getMessage());
        assertSame(cause, ok.getCause());
        assertEquals(UserType.USER, ok.userType());
        assertEquals(PinState.OK, ok.stateAfter());
        assertEquals(Failure.PIN_INCORRECT, ok.failure());
        assertEquals("Wrong SO PIN; one more wrong SO PIN locks this token",
                new PinIncorrectException(UserType.SO, PinState.FINAL_TRY, null).getMessage());
        assertEquals("Wrong user PIN; the user PIN is now locked",
                new PinIncorrectException(UserType.USER, PinState.LOCKED, null).getMessage());
        assertEquals("Wrong user PIN; the token reports few tries left",
                new PinIncorrectException(UserType.USER, PinState.COUNT_LOW, null).getMessage());
        assertEquals("Wrong user PIN; this token keeps no count of wrong PINs (its profile says so): only the attempt"
                + " guard counts", new PinIncorrectException(UserType.USER, PinState.COUNT_LOW, true, null).getMessage());
        assertEquals("Wrong SO PIN; one more wrong SO PIN locks this token",
                new PinIncorrectException(UserType.SO, PinState.FINAL_TRY, true, null).getMessage(),
                "a final-try flag is believed even from a token its profile thinks keeps no count");
        assertEquals(UserType.SO, new PinIncorrectException(UserType.SO, PinState.OK, null).userType());
        PinIncorrectException counted = new PinIncorrectException(UserType.USER, PinState.OK, false,
                new GuardStanding(3, 5, 3, 8), null);
        assertEquals("Wrong user PIN; attempt guard: 3 of 5 wrong PINs today; 3 in a row of 8", counted.getMessage());
        assertEquals(new GuardStanding(3, 5, 3, 8), counted.guardStanding().orElseThrow());
        assertTrue(new PinIncorrectException(UserType.USER, PinState.OK, null).guardStanding().isEmpty());
    }

    @Test
    void lockedAndFinalTryNameWhoCanHelp() {
        PinLockedException user = new PinLockedException(UserType.USER);
        assertEquals("The user PIN is locked; the security officer can unblock it (set a new user PIN with the SO PIN)",
                user.getMessage());
        assertEquals(UserType.USER, user.userType());
        assertEquals(Failure.PIN_LOCKED, user.failure());
        PinLockedException so = new PinLockedException(UserType.SO);
        assertEquals("The SO PIN is locked; only the token's issuer can recover this token", so.getMessage());
        assertEquals(UserType.SO, so.userType());

        PinFinalTryException last = new PinFinalTryException(UserType.SO);
        assertEquals("One more wrong SO PIN locks this token; not trying without explicit permission",
                last.getMessage());
        assertEquals(UserType.SO, last.userType());
        assertEquals(Failure.PIN_FINAL_TRY, last.failure());
        assertEquals(UserType.USER, new PinFinalTryException(UserType.USER).userType());
    }

    @Test
    void theInitialPinFailureSaysWhoFlaggedIt() {
        InitialPinException byToken = new InitialPinException(true);
        assertTrue(byToken.flaggedByToken());
        assertEquals("The token requires its user PIN to be changed before use", byToken.getMessage());
        InitialPinException known = new InitialPinException(false);
        assertFalse(known.flaggedByToken());
        assertEquals("The token still has its initial PIN; change it first", known.getMessage());
        assertEquals(Failure.INITIAL_PIN, known.failure());
        assertEquals(Failure.PIN_NOT_SET, new PinNotSetException(null).failure());
    }

    @Test
    void theGuardsRefusalCarriesTheTokenAndPin() {
        LocalDate tomorrow = LocalDate.of(2026, 12, 8);
        AttemptGuardException e = new AttemptGuardException(AttemptGuardException.Reason.DAILY_LIMIT, "9dca3ab4",
                UserType.SO, tomorrow, "5 wrong SO PINs today", null);
        assertEquals("9dca3ab4", e.serial());
        assertEquals(UserType.SO, e.userType());
        assertEquals(tomorrow, e.until());
        assertEquals(AttemptGuardException.Reason.DAILY_LIMIT, e.reason());
        assertEquals(Failure.ATTEMPT_GUARD, e.failure());
        assertNull(new AttemptGuardException(AttemptGuardException.Reason.STATE_UNAVAILABLE, "s", null, "m", null)
                .userType());
    }

    @Test
    void onlyLengthAndInvalidRefusalsFromTheTokenArePolicyFailures() {
        PinPolicyException len = PinPolicyException.fromToken(
                new Pkcs11CallException("C_SetPIN", Pkcs11.CKR_PIN_LEN_RANGE, null), UserType.SO);
        assertEquals(PinPolicyException.Rule.TOKEN_REFUSED, len.rule());
        assertEquals(Failure.PIN_POLICY, len.failure());
        assertEquals("The token refused the new SO PIN (CKR_PIN_LEN_RANGE); check its length and characters against"
                + " the token's rules", len.getMessage());
        assertEquals(PinPolicyException.Rule.TOKEN_REFUSED, PinPolicyException.fromToken(
                new Pkcs11CallException("C_InitPIN", Pkcs11.CKR_PIN_INVALID, null), UserType.USER).rule());
        assertNull(PinPolicyException.fromToken(
                new Pkcs11CallException("C_SetPIN", Pkcs11.CKR_DEVICE_ERROR, null), UserType.USER));
    }

    @Test
    void userTypesMapToPkcs11Constants() {
        assertEquals(Pkcs11.CKU_USER, UserType.USER.cku());
        assertEquals(Pkcs11.CKU_SO, UserType.SO.cku());
        assertEquals("user PIN", UserType.USER.pinName());
        assertEquals("SO PIN", UserType.SO.pinName());
    }

    @Test
    void loginOptionsDefaultToTheSafeChoices() throws Exception {
        AttemptGuard guard = AttemptGuard.disabled();
        LoginOptions d = LoginOptions.defaults(guard);
        assertFalse(d.allowFinalTry());
        assertArrayEquals("12345678".toCharArray(), d.initialPin());
        assertSame(guard, d.guard());
        assertSame(LoginObserver.NONE, d.observer());
        assertArrayEquals("12345678".toCharArray(), LoginOptions.bankInitialPin());

        LoginObserver seen = (u, i) -> { };
        LoginOptions changed = d.withAllowFinalTry(true).withInitialPin(null).withObserver(seen);
        assertTrue(changed.allowFinalTry());
        assertNull(changed.initialPin());
        assertSame(seen, changed.observer());
        assertSame(guard, changed.guard());
        assertFalse(changed.withAllowFinalTry(false).allowFinalTry());
        assertFalse(d.noRetryCounter());
        LoginOptions uncounted = changed.withNoRetryCounter(true);
        assertTrue(uncounted.noRetryCounter());
        assertTrue(uncounted.allowFinalTry() && uncounted.initialPin() == null && uncounted.observer() == seen,
                "the rest kept");
        assertFalse(uncounted.withNoRetryCounter(false).noRetryCounter());
        assertArrayEquals("000000".toCharArray(), d.withInitialPin("000000".toCharArray()).initialPin());

        char[] mine = "111111".toCharArray();
        LoginOptions copy = d.withInitialPin(mine);
        mine[0] = '9';
        copy.initialPin()[1] = '9';
        assertArrayEquals("111111".toCharArray(), copy.initialPin(), "copied in and out");
        LoginOptions.bankInitialPin()[0] = '9';
        assertArrayEquals("12345678".toCharArray(), LoginOptions.bankInitialPin());

        assertThrows(NullPointerException.class, () -> new LoginOptions(false, null, null, LoginObserver.NONE, false));
        assertThrows(NullPointerException.class, () -> new LoginOptions(false, null, guard, null, false));
    }

    @Test
    void theDisabledGuardCountsNothing() throws Exception {
        AttemptGuard off = AttemptGuard.disabled();
        assertSame(AttemptGuard.Ticket.NONE, off.begin("s", UserType.USER));
        off.reset("s");
        AttemptGuard.Ticket.NONE.wrongPin();
        assertSame(AttemptGuard.Ticket.NONE, off.begin("s", UserType.USER), "a wrong PIN changes nothing");
        // a batch opens a deferral scope on whatever guard it has: one with nothing to defer is still a scope
        AttemptGuard.Deferral scope = off.deferWithdrawals();
        assertNotNull(scope);
        scope.close();
        scope.close();
    }

    @Test
    void guardLimitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new GuardLimits(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new GuardLimits(5, 0));
        assertEquals(1, new GuardLimits(1, 1).dailyLimit());
        assertEquals(1, new GuardLimits(1, 1).consecutiveLimit());
        assertEquals(new GuardLimits(5, 8), GuardLimits.BANK);
    }
}
