package io.sangdam.testing;

import io.sangdam.routing.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock that moves only when the test says, and the timers that go with it: due tasks run on {@link #advance}. */
public final class ManualTime extends Clock implements Timers {
  private record Task(Instant due, long order, Runnable run) {}

  private Instant now;
  private long order;
  private final List<Task> tasks = new ArrayList<>();

  public ManualTime(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
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
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), order++, task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves time forward, running every task that falls due, in order, at its own time. */
  public void advance(Duration by) {
    Instant end;
    synchronized (this) {
      end = now.plus(by);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream().filter(t -> !t.due().isAfter(end))
            .min(Comparator.comparing(Task::due).thenComparingLong(Task::order)).orElse(null);
        if (next == null) {
          now = end;
          return;
        }
        tasks.remove(next);
        now = next.due().isAfter(now) ? next.due() : now;
      }
      next.run().run();
    }
  }
}
