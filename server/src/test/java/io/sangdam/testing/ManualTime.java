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

/**
 * A clock that moves only when the test says, and the timers that go with it: due tasks run on
 * {@link #advance}, on the test's thread. Safe from any thread: a server schedules from its own.
 * A server's timer is set by one of its threads some time after the request that caused it is
 * answered, so a test first waits for it ({@link #awaitTaskDueIn}), then advances past it.
 */
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

  /** Whether a task is due exactly {@code delay} from now, e.g. the grace period a disconnect started. */
  public synchronized boolean hasTaskDueIn(Duration delay) {
    Instant due = now.plus(delay);
    return tasks.stream().anyMatch(t -> t.due().equals(due));
  }

  /** Waits until a task is due exactly {@code delay} from now: the timer the test is about to run out is set. */
  public void awaitTaskDueIn(Duration delay) {
    Eventually.eventually("a timer due in " + delay + " (pending: " + pending() + ")", () -> hasTaskDueIn(delay));
  }

  private synchronized List<Duration> pending() {
    return tasks.stream().map(t -> Duration.between(now, t.due())).sorted().toList();
  }

  /** Drops every pending task: a stopped server's timers go with it, as its scheduler's do. */
  public synchronized void cancelAll() {
    tasks.clear();
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
