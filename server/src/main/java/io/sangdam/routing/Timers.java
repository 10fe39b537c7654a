package io.sangdam.routing;

import java.time.Duration;

/**
 * Runs a task after a delay. Production uses a scheduled executor; tests advance a fake clock and
 * run what is due, so no test sleeps. Tasks must be quick and hand real work to an actor.
 */
public interface Timers {
  Cancellable schedule(Duration delay, Runnable task);

  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
