package io.sangdam.routing;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link Timers} on a scheduled executor owned by the caller. */
public final class ScheduledTimers implements Timers {
  private final ScheduledExecutorService scheduler;

  public ScheduledTimers(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = scheduler.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }
}
