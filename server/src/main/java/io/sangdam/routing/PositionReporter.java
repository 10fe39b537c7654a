package io.sangdam.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Tells waiting customers their position and estimated wait, for one engine and on its thread. A
 * newly waiting customer is told at once; after that, changes are collected and sent at most once
 * per {@link #INTERVAL}, off the decision path, and an estimate that barely moved is not sent again.
 */
final class PositionReporter {
  /** How often waiting customers are told their position and estimated wait, at most. */
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** An estimate within this many seconds (or a tenth) of the last one sent is not sent again. */
  private static final int ETA_SLACK_SECONDS = 5;

  private final Collection<QueueLine> lines;
  private final WaitEstimates estimates;
  private final RoutingListener listener;
  private final Timers timers;
  private final Executor mailbox;
  private final Map<Long, Position> lastSent = new HashMap<>();
  /** The report due, or null. */
  private Timers.Cancellable scheduled;

  /** {@code lines} is the engine's live view of its queue lines; {@code mailbox} its serial executor. */
  PositionReporter(Collection<QueueLine> lines, WaitEstimates estimates, RoutingListener listener, Timers timers,
      Executor mailbox) {
    this.lines = lines;
    this.estimates = estimates;
    this.listener = listener;
    this.timers = timers;
    this.mailbox = mailbox;
  }

  /** Tells a newly waiting customer where they stand, at once. */
  void newlyWaiting(QueueLine line, WaitingConversation w) {
    int position = line.waiting.last() == w ? line.waiting.size() : line.waiting.headSet(w).size() + 1;
    Position now = new Position(w.conversationId(), position, estimates.of(line).get(position - 1));
    lastSent.put(w.conversationId(), now);
    listener.positions(List.of(now));
  }

  /** The conversation no longer waits here. */
  void forget(long conversationId) {
    lastSent.remove(conversationId);
  }

  /** Something that may move positions or estimates happened: a report follows within {@link #INTERVAL}. */
  void changed() {
    if (scheduled != null || lines.stream().allMatch(l -> l.waiting.isEmpty())) {
      return;
    }
    scheduled = timers.schedule(INTERVAL, () -> mailbox.execute(() -> {
      scheduled = null;
      report();
    }));
  }

  /** The engine stopped: the report due is not made. */
  void stop() {
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
    }
  }

  /** Sends the positions that changed since they were last sent, of everyone waiting. */
  private void report() {
    List<Position> changed = new ArrayList<>();
    for (QueueLine line : lines) {
      List<Integer> etas = estimates.of(line);
      int position = 0;
      for (WaitingConversation w : line.waiting) {
        position++;
        Position now = new Position(w.conversationId(), position, etas.get(position - 1));
        if (differs(lastSent.get(w.conversationId()), now)) {
          lastSent.put(w.conversationId(), now);
          changed.add(now);
        }
      }
    }
    if (!changed.isEmpty()) {
      listener.positions(changed);
    }
  }

  private static boolean differs(Position before, Position now) {
    if (before == null || before.position() != now.position()) {
      return true;
    }
    if (before.etaSeconds() == null || now.etaSeconds() == null) {
      return before.etaSeconds() != now.etaSeconds();
    }
    int slack = Math.max(ETA_SLACK_SECONDS, before.etaSeconds() / 10);
    return Math.abs(before.etaSeconds() - now.etaSeconds()) > slack;
  }
}
