package io.sangdam.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something the server does on a thread of its own: polls with a short back-off until it
 * holds, and fails with what it saw last after a timeout. The one way tests wait for a state; a
 * message on a socket is waited for by {@link WsClient#next} instead.
 */
public final class Eventually {
  /** Long enough for a loaded machine; a condition that holds returns at its first poll after. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long LONGEST_PAUSE_MILLIS = 100;

  private Eventually() {}

  /** Waits until {@code condition} holds; {@code what} names it in the failure. */
  public static void eventually(String what, BooleanSupplier condition) {
    eventually(what, condition::getAsBoolean, Boolean.TRUE::equals);
  }

  /** The first value of {@code value} that {@code until} accepts; fails with the last value seen. */
  public static <T> T eventually(String what, Supplier<T> value, Predicate<? super T> until) {
    return eventually(what, value, until, TIMEOUT);
  }

  /** As {@link #eventually(String, Supplier, Predicate)}, waiting up to {@code timeout}. */
  public static <T> T eventually(String what, Supplier<T> value, Predicate<? super T> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      T last = value.get();
      if (until.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("not within " + timeout + ": " + what + "; last seen: " + last);
      }
      pause(pause);
      pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
    }
  }

  private static void pause(long millis) {
    try {
      // The one pause of the test suite: between two looks at a condition, never instead of one.
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
