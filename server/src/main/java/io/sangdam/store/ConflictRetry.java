package io.sangdam.store;

import static java.util.Objects.requireNonNull;

import io.sangdam.threads.HotThreads;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a transaction the database rolled back because it conflicted with another: an InnoDB
 * deadlock, or on Galera a certification failure (a write set that lost to one committed first on
 * another node), which MariaDB reports the same way, error 1213 with SQLState 40001. Such a
 * transaction left nothing behind, so running it again whole is safe and usually succeeds; the
 * pause before it is short and random, so two transactions that collided do not collide again in step.
 *
 * <p>Only whole transactions (or single autocommit statements) are repeated, never a statement
 * inside one: the conflict rolled back everything before it. Not on a hot thread, which must not
 * wait (and must not run JDBC at all): there the conflict goes up at once, as any other failure.
 */
final class ConflictRetry {
  private static final Logger log = LoggerFactory.getLogger(ConflictRetry.class);
  /** MariaDB's ER_LOCK_DEADLOCK, also Galera's answer to a failed certification. */
  static final int DEADLOCK = 1213;
  /** SQLState of a transaction rolled back for serialization (a deadlock, a certification failure). */
  static final String SERIALIZATION_FAILURE = "40001";
  /** Attempts in all, the first included: a conflict repeated this often is a hot spot to hear about. */
  static final int ATTEMPTS = 4;
  /** The longest pause before the first repeat, doubled for each further one (at most 10, 20, 40 ms). */
  static final long FIRST_PAUSE_MILLIS = 10;

  /** One attempt: takes a connection, runs the work, commits or rolls back, gives the connection back. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws SQLException;
  }

  /** Waits between attempts; the tests' one records instead of waiting. */
  @FunctionalInterface
  interface Pause {
    void pause(long millis) throws InterruptedException;
  }

  private final Pause pause;
  /** From a bound (exclusive) to a random number of milliseconds below it. */
  private final LongUnaryOperator random;
  private final AtomicLong retries = new AtomicLong();

  /** Pauses with {@link Thread#sleep} for a random time. */
  ConflictRetry() {
    this(Thread::sleep, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  ConflictRetry(Pause pause, LongUnaryOperator random) {
    this.pause = requireNonNull(pause, "pause");
    this.random = requireNonNull(random, "random");
  }

  /**
   * Runs {@code attempt}, and again, up to {@link #ATTEMPTS} in all, as long as it fails on a
   * conflict; the last failure goes up. {@code attempt} must do nothing outside the database that
   * a repeat would do twice.
   */
  <T> T run(Attempt<T> attempt) throws SQLException {
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (SQLException e) {
        if (!isConflict(e) || n == ATTEMPTS || HotThreads.current()) {
          throw e;
        }
        retries.incrementAndGet();
        long half = (FIRST_PAUSE_MILLIS << (n - 1)) / 2;
        long millis = half + random.applyAsLong(half + 1);
        log.debug("transaction rolled back on a conflict ({}); attempt {} of {} in {} ms", e.getMessage(), n + 1,
            ATTEMPTS, millis);
        try {
          pause.pause(millis);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Transactions repeated so far (each repeat counts once): {@code sangdam_db_retries_total}. */
  long retries() {
    return retries.get();
  }

  /** Whether {@code e}, or what caused it (a batch's failure wraps its statement's), is a conflict. */
  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && (sql.getErrorCode() == DEADLOCK || SERIALIZATION_FAILURE.equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }
}
