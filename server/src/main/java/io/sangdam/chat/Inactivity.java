package io.sangdam.chat;

import io.sangdam.routing.Timers;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The timeouts of conversations. A waiting customer with no connected session abandons after
 * the center's customer grace. An assigned conversation whose customer has not answered the
 * agent's last message gets a warning after the idle-warning time, and closes with reason
 * {@code timeout} after the idle-close time more. HOLD stops the idle clock. Timers only decide;
 * the work goes through {@link ConversationService}.
 */
final class Inactivity {
  static final String IDLE_WARNING_TEXT =
      "고객님, 더 궁금하신 점이 있으신가요? 응답이 없으시면 잠시 후 상담이 자동으로 종료됩니다.";

  private final ConversationService chat;
  private final LongFunction<Timeouts> timeouts;
  private final Timers timers;
  /** Connected sessions per customer; a customer without an entry is away. Counted atomically per customer. */
  private final Map<Long, Integer> connections = new ConcurrentHashMap<>();
  /** Per conversation: the abandon timer of a waiting one, or the idle timer of an assigned one. */
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  /** A timer that fires only while it is still its conversation's current one; registered before it is scheduled. */
  private static final class Pending {
    volatile Timers.Cancellable timer;

    void cancel() {
      Timers.Cancellable t = timer;
      if (t != null) {
        t.cancel();
      }
    }
  }

  Inactivity(ConversationService chat, LongFunction<Timeouts> timeouts, Timers timers) {
    this.chat = chat;
    this.timeouts = timeouts;
    this.timers = timers;
  }

  void customerConnected(long customerId) {
    connections.merge(customerId, 1, Integer::sum);
    for (Conversation c : chat.openForCustomer(customerId)) {
      if (c.state() == ConversationState.WAITING) {
        cancel(c.id());
      }
    }
  }

  void customerDisconnected(long customerId) {
    if (connections.computeIfPresent(customerId, (k, n) -> n > 1 ? n - 1 : null) == null) {
      customerAway(customerId);
    }
  }

  /** No session of the customer is connected (also every customer at start): their waiting conversations may be abandoned. */
  void customerAway(long customerId) {
    if (connections.containsKey(customerId)) {
      return;
    }
    for (Conversation c : chat.openForCustomer(customerId)) {
      if (c.state() == ConversationState.WAITING) {
        startAbandonClock(c);
      }
    }
  }

  private void startAbandonClock(Conversation c) {
    replace(c.id(), timeouts.apply(c.centerId()).customerGrace(), () -> {
      if (!connections.containsKey(c.customerId())) {
        chat.expire(c, ConversationState.WAITING);
      }
    });
  }

  /** Waiting again (transfer, overflow, agent gone): the idle clock stops; an absent customer's abandon clock starts. */
  void requeued(Conversation c) {
    cancel(c.id());
    if (!connections.containsKey(c.customerId())) {
      startAbandonClock(c);
    }
  }

  void assigned(Conversation c) {
    cancel(c.id());
  }

  void agentSpoke(Conversation c) {
    if (c.state() != ConversationState.ASSIGNED) {
      return;
    }
    Timeouts t = timeouts.apply(c.centerId());
    replace(c.id(), t.idleWarning(), () -> {
      if (!stillAssigned(c)) {
        return;
      }
      // The close clock starts before the warning is said, so a reply that races the warning cancels it.
      replace(c.id(), t.idleClose(), () -> {
        if (stillAssigned(c)) {
          chat.expire(c, ConversationState.ASSIGNED);
        }
      });
      chat.say(c.id(), IDLE_WARNING_TEXT);
    });
  }

  /** Still ASSIGNED (not on hold, not ended, not moved) to the same agent. */
  private boolean stillAssigned(Conversation c) {
    return chat.open.get(c.id())
        .filter(x -> x.state() == ConversationState.ASSIGNED && Objects.equals(x.agentId(), c.agentId()))
        .isPresent();
  }

  void customerSpoke(long conversationId) {
    cancel(conversationId);
  }

  void held(long conversationId) {
    cancel(conversationId);
  }

  void ended(long conversationId) {
    cancel(conversationId);
  }

  private void replace(long conversationId, Duration delay, Runnable task) {
    Pending mine = new Pending();
    Pending previous = pending.put(conversationId, mine);
    if (previous != null) {
      previous.cancel();
    }
    mine.timer = timers.schedule(delay, () -> {
      if (pending.remove(conversationId, mine)) {
        task.run();
      }
    });
  }

  private void cancel(long conversationId) {
    Pending previous = pending.remove(conversationId);
    if (previous != null) {
      previous.cancel();
    }
  }
}
