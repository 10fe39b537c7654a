package io.sangdam.threads;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Marks the threads that many connections or a whole center wait on: a Netty event loop, a routing
 * actor, the message-delivery thread, the timers. Their factories mark every thread they make, so
 * code far from where the thread was made can tell that it must not wait for the database here
 * (the directory answers such threads from its snapshot alone; tests fail on JDBC from them).
 */
public final class HotThreads {
  /** Set by the test runs (never in production): JDBC on a hot thread then throws and is recorded. */
  public static final String GUARD_PROPERTY = "sangdam.hotThreadGuard";

  private static final ThreadLocal<Boolean> HOT = ThreadLocal.withInitial(() -> false);

  private HotThreads() {}

  /** Whether the calling thread was made by a factory of {@link #marking}. */
  public static boolean current() {
    return HOT.get();
  }

  /** {@code threads}, each marked hot before it runs anything. */
  public static ThreadFactory marking(ThreadFactory threads) {
    requireNonNull(threads, "threads");
    return work -> threads.newThread(marked(work));
  }

  /** Marks the thread that runs it as hot, then runs {@code work}: for factories that cannot be wrapped. */
  public static Runnable marked(Runnable work) {
    requireNonNull(work, "work");
    return () -> {
      HOT.set(true);
      work.run();
    };
  }

  /** Daemon threads named {@code prefix-1, prefix-2...}, each marked hot. */
  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return marking(work -> {
      Thread t = new Thread(work, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
