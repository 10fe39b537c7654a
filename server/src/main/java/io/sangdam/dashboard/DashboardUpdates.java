package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live dashboard as a subscriber of conversation events: a change of what it counts (a new one
 * waits, an agent takes one, one ends or moves) sends it at once to the consoles not sent one in
 * the last second, instead of at the feed's next second (the feed keeps the one push a second).
 * The once-a-second tick stays for what changes without an event (waits growing, agent statuses).
 * A burst of events asks for one tick: while one is waiting to run, further events add nothing.
 */
public final class DashboardUpdates implements ConversationEvents.Subscriber {
  private final Runnable tick;
  private final Executor work;
  private final AtomicBoolean requested = new AtomicBoolean();

  /** {@code tick} builds views and may block, so it runs on {@code work}, never on the events' thread. */
  public DashboardUpdates(Runnable tick, Executor work) {
    this.tick = requireNonNull(tick, "tick");
    this.work = requireNonNull(work, "work");
  }

  @Override
  public void on(ConversationEvent event) {
    if (!movesFigures(event) || !requested.compareAndSet(false, true)) {
      return;
    }
    try {
      work.execute(() -> {
        requested.set(false);
        tick.run();
      });
    } catch (RejectedExecutionException busy) {
      requested.set(false); // the next second's tick sends it
    }
  }

  private static boolean movesFigures(ConversationEvent e) {
    return e instanceof ConversationEvent.Started || e instanceof ConversationEvent.Assigned
        || e instanceof ConversationEvent.Closed || e instanceof ConversationEvent.Transferred
        || e instanceof ConversationEvent.Moved || e instanceof ConversationEvent.WaitingRemoved;
  }
}
