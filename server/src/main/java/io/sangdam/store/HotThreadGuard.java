package io.sangdam.store;

import io.sangdam.threads.HotThreads;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In test runs ({@link HotThreads#GUARD_PROPERTY}), refuses a connection asked for on a hot thread
 * and records it: the exception fails the request that caused it, and the record fails the test
 * class even where the exception was swallowed. Off, as in production, it checks nothing.
 */
public final class HotThreadGuard {
  private static final Logger log = LoggerFactory.getLogger(HotThreadGuard.class);
  /** How each refusal begins, in the exception and in the log (where tests of a server process look). */
  public static final String REFUSED = "JDBC on the hot thread";

  private final boolean on;
  private final List<String> violations = new CopyOnWriteArrayList<>();

  public HotThreadGuard(boolean on) {
    this.on = on;
  }

  /** On when the JVM was started with {@code -Dsangdam.hotThreadGuard=true}. */
  public static HotThreadGuard fromSystemProperty() {
    return new HotThreadGuard(Boolean.getBoolean(HotThreads.GUARD_PROPERTY));
  }

  void check() {
    if (!on || !HotThreads.current()) {
      return;
    }
    IllegalStateException e = new IllegalStateException(
        REFUSED + " '" + Thread.currentThread().getName() + "', which must never wait for the database");
    StringBuilder where = new StringBuilder(e.getMessage());
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 40); i++) {
      where.append("\n\tat ").append(frames[i]);
    }
    violations.add(where.toString());
    log.error("{}", where);
    throw e;
  }

  /** Each refused connection with the stack that asked for it, oldest first. */
  public List<String> violations() {
    return List.copyOf(violations);
  }
}
