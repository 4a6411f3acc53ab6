package org.tokenctl.core.pin;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAttemptGuardTest {

    @TempDir
    Path dir;

    /** A clock the test moves by hand; 23:30 so that the next day is half an hour away. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-03-02T23:30:00Z");

        void plusHours(long h) {
            now = now.plusSeconds(h * 3600);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private FileAttemptGuard guard(ManualClock clock) {
        return new FileAttemptGuard(dir.resolve("guard.state"), GuardLimits.BANK, clock);
    }

    private static void wrong(AttemptGuard g, String serial, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            g.begin(serial, UserType.USER).wrongPin();
        }
    }

    @Test
    void fiveWrongInADayBlockUntilTheNextDay() throws Exception {
        ManualClock clock = new ManualClock();
        FileAttemptGuard g = guard(clock);
        wrong(g, "S1", 5);
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.DAILY_LIMIT, e.reason());
        assertEquals(LocalDate.parse("2026-03-03"), e.until());
        // other tokens and the SO PIN are counted separately
        assertDoesNotThrow(() -> g.begin("S2", UserType.USER).noVerdict());
        assertDoesNotThrow(() -> g.begin("S1", UserType.SO).noVerdict());
        clock.plusHours(1); // past midnight
        assertDoesNotThrow(() -> g.begin("S1", UserType.USER).correctPin());
    }

    @Test
    void eightInARowAcrossTwoDaysBlockUntilReset() throws Exception {
        ManualClock clock = new ManualClock();
        FileAttemptGuard g = guard(clock);
        wrong(g, "S1", 5);
        clock.plusHours(1);
        wrong(g, "S1", 3);
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.CONSECUTIVE_LIMIT, e.reason());
        clock.plusHours(24 * 7);
        assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER), "still blocked a week later");
        g.reset("S1");
        assertDoesNotThrow(() -> g.begin("S1", UserType.USER).correctPin());
    }

    @Test
    void aCorrectPinEndsTheRunButNotTodaysCount() throws Exception {
        ManualClock clock = new ManualClock();
        FileAttemptGuard g = guard(clock);
        wrong(g, "S1", 4);
        g.begin("S1", UserType.USER).correctPin();
        GuardRecord r = g.records("S1").get(0);
        assertEquals(4, r.daily());
        assertEquals(0, r.consecutive());
        wrong(g, "S1", 1);
        assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER), "5 wrong today in all");
        clock.plusHours(1);
        wrong(g, "S1", 5);
        clock.plusHours(24);
        wrong(g, "S1", 1);
        // 1 + 5 + 1 = 7 in a row since the correct PIN: one more attempt is allowed, the one after is not
        GuardStanding last = g.begin("S1", UserType.USER).wrongPin().orElseThrow();
        assertEquals(new GuardStanding(2, 5, 8, 8), last, "the wrong PIN tells where the guard stands");
        assertTrue(last.exhausted());
        assertEquals(AttemptGuardException.Reason.CONSECUTIVE_LIMIT,
                assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER)).reason());
    }

    @Test
    void aReservationWithoutVerdictIsWithdrawn() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        AttemptGuard.Ticket t = g.begin("S1", UserType.USER);
        assertEquals(1, g.records("S1").get(0).daily(), "reserved attempts count until settled");
        t.noVerdict();
        assertEquals(List.of(), g.records("S1"), "nothing left to count: no record (the file keeps only tokens"
                + " with wrong PINs, so a batch's logins do not grow it)");
    }

    /** The state file as another process reads it: its records, comments left out. */
    private List<String> onDisk() throws Exception {
        return Files.readAllLines(dir.resolve("guard.state")).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void aDeferredWithdrawalIsWrittenWithTheNextReservation() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        try (AttemptGuard.Deferral d = g.deferWithdrawals()) {
            g.begin("S1", UserType.USER).correctPin();
            assertEquals(List.of("S1\tUSER\t2026-03-02\t1\t1"), onDisk(),
                    "until the next write, the reservation stands on disk (a crash now errs on the safe side)");
            AttemptGuard.Ticket t = g.begin("S2", UserType.USER);
            assertEquals(List.of("S2\tUSER\t2026-03-02\t1\t1"), onDisk(), "S1's withdrawal went with S2's reservation");
            t.correctPin();
            assertEquals(1, onDisk().size(), "S2's withdrawal waits in turn");
        }
        assertEquals(List.of(), onDisk(), "closing the scope writes what waited");
    }

    @Test
    void aTokenTriedAgainCountsItsWaitingWithdrawal() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        wrong(g, "S1", 4);
        try (AttemptGuard.Deferral d = g.deferWithdrawals()) {
            g.begin("S1", UserType.USER).correctPin();
            // on disk that reservation still makes 5 today, the daily limit: this process knows better
            AttemptGuard.Ticket t = assertDoesNotThrow(() -> g.begin("S1", UserType.USER));
            t.noVerdict();
            GuardRecord r = g.records("S1").get(0);
            assertEquals(4, r.daily(), "the four wrong PINs, nothing more");
            assertEquals(0, r.consecutive(), "the correct PIN ended the run");
        }
    }

    @Test
    void scopesNestAcrossGuardsOnOneFileAndTheLastToCloseWrites() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        AttemptGuard.Deferral outer = g.deferWithdrawals();
        AttemptGuard.Deferral inner = guard(new ManualClock()).deferWithdrawals();
        g.begin("S1", UserType.USER).correctPin();
        inner.close();
        assertEquals(1, onDisk().size(), "another scope on the same file is still open");
        outer.close();
        assertEquals(List.of(), onDisk());
        outer.close(); // a second close changes nothing
        g.begin("S2", UserType.USER).correctPin();
        assertEquals(List.of(), onDisk(), "no scope open: a withdrawal is written at once again");
    }

    @Test
    void countsSurviveANewGuardInstance() throws Exception {
        ManualClock clock = new ManualClock();
        wrong(guard(clock), "S1", 5);
        assertThrows(AttemptGuardException.class, () -> guard(clock).begin("S1", UserType.USER));
    }

    @Test
    void aCorruptStateFileIsAnErrorNotAReset() throws Exception {
        ManualClock clock = new ManualClock();
        FileAttemptGuard g = guard(clock);
        wrong(g, "S1", 2);
        Files.writeString(g.file(), "S1\tUSER\tnot-a-date\t5\t5\n");
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("corrupt at line 1"), e.getMessage());
        assertEquals("S1\tUSER\tnot-a-date\t5\t5\n", Files.readString(g.file()), "the file is left for a person");
    }

    @Test
    void aStateFileThatIsNotUtf8IsCorruptLikeAnyOther() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        wrong(g, "S1", 1);
        Files.write(g.file(), new byte[] {'#', '\n', 'S', '1', (byte) 0xFF, '\t'});
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("is corrupt at line 2 (not UTF-8 text)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix or remove the file"), e.getMessage());
    }

    @Test
    void corruptionIsNamedByFieldNeverQuoted() throws Exception {
        // the state file may be any file (a PIN file named by mistake): say which field, not what it holds
        FileAttemptGuard g = guard(new ManualClock());
        for (String line : List.of("S1\tUs3rPq9x\t2026-01-01\t1\t1", "S1\tUSER\tUs3rPq9x\t1\t1",
                "S1\tUSER\t2026-01-01\tUs3rPq9x\t1", "S1\tUSER\t2026-01-01\t1\t-1", "Us3rPq9x")) {
            Files.writeString(g.file(), "#\n" + line + "\n");
            AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
            assertTrue(e.getMessage().contains("is corrupt at line 2 ("), e.getMessage());
            assertFalse(e.getMessage().contains("Us3rPq9x"), e.getMessage());
        }
    }

    @Test
    void aStateFileThatIsADeviceIsRefusedBeforeItIsOpened() throws Exception {
        Path zero = Files.createSymbolicLink(dir.resolve("zero.state"), Path.of("/dev/zero"));
        AttemptGuardException e = assertThrows(AttemptGuardException.class,
                () -> new FileAttemptGuard(zero, GuardLimits.BANK, new ManualClock()).begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("is a character device, not a regular file"), e.getMessage());
    }

    @Test
    void aStateFileLargerThanTheLimitIsNotReadWhole() throws Exception {
        Path big = dir.resolve("big.state");
        Files.write(big, new byte[(int) FileAttemptGuard.MAX_BYTES + 1]);
        AttemptGuardException e = assertThrows(AttemptGuardException.class,
                () -> new FileAttemptGuard(big, GuardLimits.BANK, new ManualClock()).begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("is larger than 1 MiB"), e.getMessage());
    }

    @Test
    void anEmptyStateFileIsAnErrorNotAReset() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        wrong(g, "S1", 3);
        Files.write(g.file(), new byte[0]);
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void anUnreadableStateIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("guard.state")); // a directory where the file should be
        AttemptGuardException e = assertThrows(AttemptGuardException.class,
                () -> guard(new ManualClock()).begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
    }

    @Test
    void threadsLoseNoCount() throws Exception {
        FileAttemptGuard g = new FileAttemptGuard(dir.resolve("guard.state"), new GuardLimits(100_000, 100_000),
                Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                wrong(g, "S1", 25);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertEquals(200, g.records("S1").get(0).consecutive());
    }

    @Test
    void processesLoseNoCount() throws Exception {
        Path state = dir.resolve("guard.state");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), GuardHammer.class.getName(),
                state.toString(), "S9", "40");
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }
        for (Process p : running) {
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        }
        FileAttemptGuard g = new FileAttemptGuard(state, new GuardLimits(1_000_000, 1_000_000), Clock.systemUTC());
        assertEquals(120, g.records("S9").get(0).consecutive(), "3 processes x 40 wrong PINs");
    }

    @Test
    void theStateFileAndItsLockAreOwnerOnlyAndNoTemporaryFileStays() throws Exception {
        Path state = dir.resolve("private/guard.state");
        FileAttemptGuard g = new FileAttemptGuard(state, GuardLimits.BANK, new ManualClock());
        g.begin("S1", UserType.USER).wrongPin();
        g.begin("S2", UserType.SO).correctPin();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolveSibling("guard.state.lock"))));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.getParent())));
        try (var files = Files.list(state.getParent())) {
            assertEquals(List.of("guard.state", "guard.state.lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // two serials, each kept apart; the one whose PIN was right has nothing left to count
        assertEquals(1, g.records("S1").get(0).consecutive());
        assertEquals(List.of(), g.records("S2"));
        assertEquals(1, g.records(null).size());
    }

    /** Plants a link named {@code name} beside the state file, pointing at a file that must stay as it is. */
    private Path plantLink(String name) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Files.createSymbolicLink(dir.resolve(name), victim);
        return victim;
    }

    @Test
    void aLinkPlantedAtTheLockIsNotFollowed() throws Exception {
        Path victim = plantLink("guard.state.lock");
        Path state = dir.resolve("guard.state");
        FileAttemptGuard g = new FileAttemptGuard(state, GuardLimits.BANK, new ManualClock());
        AttemptGuardException e = assertThrows(AttemptGuardException.class, () -> g.begin("S1", UserType.USER));
        assertEquals(AttemptGuardException.Reason.STATE_UNAVAILABLE, e.reason());
        assertEquals("keep", Files.readString(victim));
        assertFalse(Files.exists(state));
    }

    @Test
    void aLinkPlantedWhereTheOldFixedTemporaryNameWasIsNeverWritten() throws Exception {
        Path victim = plantLink("guard.state.tmp");
        FileAttemptGuard g = new FileAttemptGuard(dir.resolve("guard.state"), GuardLimits.BANK, new ManualClock());
        g.begin("S1", UserType.USER).wrongPin();
        assertEquals("keep", Files.readString(victim));
        assertEquals(1, g.records("S1").get(0).consecutive());
    }

    private Object fileKey() throws Exception {
        return Files.readAttributes(dir.resolve("guard.state"), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
    }

    @Test
    void resetForgetsOneTokenAndKeepsTheOthers() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        wrong(g, "S1", 2);
        g.begin("S1", UserType.SO).wrongPin();
        wrong(g, "S12", 3);
        wrong(g, "T9", 1);
        g.reset("S1");
        assertEquals(List.of(), g.records("S1"));
        assertEquals(3, g.records("S12").get(0).daily(), "a serial that merely starts with the other is kept");
        assertEquals(1, g.records("T9").get(0).daily());
        assertEquals(2, g.records(null).size());
        Object before = fileKey();
        g.reset("unknown");
        assertEquals(before, fileKey(), "resetting a token with no record writes nothing");
    }

    @Test
    void readingNeverRewritesTheState() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        wrong(g, "S1", 1);
        Object before = fileKey();
        g.records("S1");
        g.records(null);
        assertEquals(before, fileKey(), "a read leaves the file as it was (a write replaces it by rename)");
        wrong(g, "S1", 1);
        assertFalse(before.equals(fileKey()), "the check above can tell: a write does replace the file");
    }

    @Test
    void aTicketSettledAfterAResetLeavesNoRecord() throws Exception {
        FileAttemptGuard g = guard(new ManualClock());
        AttemptGuard.Ticket t = g.begin("S1", UserType.USER);
        g.reset("S1");
        Object before = fileKey();
        t.correctPin();
        assertEquals(List.of(), g.records("S1"));
        assertEquals(before, fileKey(), "nothing to settle, nothing written");
    }

    @Test
    void theGuardSaysWhereItKeepsCountsAndItsLimits() {
        GuardLimits limits = new GuardLimits(3, 4);
        FileAttemptGuard g = new FileAttemptGuard(dir.resolve("guard.state"), limits, new ManualClock());
        assertEquals(limits, g.limits());
        assertEquals(dir.resolve("guard.state"), g.file());
        assertEquals("FileAttemptGuard[" + dir.resolve("guard.state") + ", " + limits + "]", g.toString());
    }
}
