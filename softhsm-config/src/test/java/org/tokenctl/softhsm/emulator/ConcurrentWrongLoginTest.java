package org.tokenctl.softhsm.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tokenctl.softhsm.emulator.EmulatorToken.WRONG_PIN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes hammering wrong PINs at the same time never lose a count: the state file is
 * read, changed and written under an exclusive lock.
 */
class ConcurrentWrongLoginTest {

  private static final int PROCESSES = 4;
  private static final int WRONG_LOGINS_EACH = 4;
  // SoftHSM's file store is not safe for concurrent writers in several processes: now
  // and then a run fails in C_OpenSession or C_GetTokenInfo before it reaches C_Login
  // (CKR_TOKEN_NOT_RECOGNIZED, CKR_GENERAL_ERROR), or C_Login itself answers
  // CKR_GENERAL_ERROR or CKR_USER_PIN_NOT_INITIALIZED because SoftHSM read the token
  // flags it checks before the PIN from a half-written file. Such a run is no login
  // attempt (the emulator counts only CKR_PIN_INCORRECT, and the trace check below holds
  // it to that) and is repeated; this bounds how often.
  private static final int MAX_RUNS_EACH = 4 * WRONG_LOGINS_EACH;

  @TempDir
  Path dir;

  private EmulatorToken token;

  @BeforeEach
  void makeToken() throws Exception {
    token = EmulatorToken.create(dir);
  }

  @Test
  void concurrentWrongLoginsAreAllCounted() throws Exception {
    token.configure("pin.retries = 20", "trace.file = trace.log");

    ExecutorService pool = Executors.newFixedThreadPool(PROCESSES);
    List<Future<Integer>> workers = new ArrayList<>();
    try {
      for (int p = 0; p < PROCESSES; p++) {
        workers.add(pool.submit(this::wrongLogins));
      }
      int attempts = 0;
      for (Future<Integer> worker : workers) {
        attempts += worker.get();
      }
      assertEquals(PROCESSES * WRONG_LOGINS_EACH, attempts, "wrong logins SoftHSM answered");
    } finally {
      pool.shutdownNow();
    }

    int expected = PROCESSES * WRONG_LOGINS_EACH;
    long traced = Files.readAllLines(dir.resolve("trace.log")).stream()
        .filter("C_Login CKR_PIN_INCORRECT"::equals)
        .count();
    assertEquals(expected, traced, "C_Login calls answered CKR_PIN_INCORRECT");
    assertEquals(expected, token.storedCount("user"), "no count may be lost");
    TokenFlags flags = token.flags();
    assertTrue(flags.has(TokenFlags.USER_COUNT_LOW), flags.toString());
    assertFalse(flags.has(TokenFlags.USER_LOCKED), "16 of 20 tries used: " + flags);
  }

  /** Runs pkcs11-tool until it has made WRONG_LOGINS_EACH wrong logins; returns them. */
  private int wrongLogins() throws Exception {
    int wrong = 0;
    for (int run = 0; run < MAX_RUNS_EACH && wrong < WRONG_LOGINS_EACH; run++) {
      // name the token: when SoftHSM re-indexes its store under concurrent writers, a
      // process may briefly see only the free slot, and must not log in there instead
      ToolResult result = token.pkcs11Tool("--token-label", EmulatorToken.LABEL, "--login", "--pin", WRONG_PIN,
          "--list-objects");
      if (result.output().contains("C_Login failed: rv = CKR_PIN_INCORRECT")) {
        wrong++;
      } else if (result.output().contains("C_Login")
          && !result.output().contains("C_Login failed: rv = CKR_GENERAL_ERROR")
          && !result.output().contains("C_Login failed: rv = CKR_USER_PIN_NOT_INITIALIZED")) {
        throw new AssertionError("C_Login answered something else:\n" + result.describe());
      }
    }
    return wrong;
  }
}
