package io.sangdam.chat;

import io.sangdam.routing.Timers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The timeouts of conversations, and the customer's presence. A customer with no connected
 * session abandons, after the center's customer grace, every conversation nobody has answered
 * yet: a waiting one, and an assigned one before the agent's first message (the agent's place is
 * given back then). An answered conversation whose customer has not answered the agent's last
 * message gets a warning after the idle-warning time, and closes with reason {@code timeout}
 * after the idle-close time more. HOLD stops the idle clock. Timers only decide; the work goes
 * through {@link ConversationService}.
 */
final class Inactivity {
  static final String IDLE_WARNING_TEXT =
      "고객님, 더 궁금하신 점이 있으신가요? 응답이 없으시면 잠시 후 상담이 자동으로 종료됩니다.";

  private final ConversationService chat;
  private final LongFunction<Timeouts> timeouts;
  private final Timers timers;
  /** Connected sessions per customer; a customer without an entry is away. Counted atomically per customer. */
  private final Map<Long, Integer> connections = new ConcurrentHashMap<>();
  /** Per conversation: its abandon clock (customer away, nobody answered yet) or its idle clock. */
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  /** A timer that fires only while it is still its conversation's current one; registered before it is scheduled. */
  private static final class Pending {
    /** Whether this is the abandon clock, which only the customer's return or an answer stops. */
    final boolean abandon;
    volatile Timers.Cancellable timer;

    Pending(boolean abandon) {
      this.abandon = abandon;
    }

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

  /**
   * A session of the customer said hello; with the first one, the customer is back: clocks stop,
   * agents are told. Presence is told inside the count's update, so a customer's online and offline
   * pushes go out in the order their sessions came and went.
   */
  void customerConnected(long customerId) {
    connections.compute(customerId, (k, n) -> {
      if (n != null) {
        return n + 1;
      }
      for (Conversation c : chat.openForCustomer(customerId)) {
        cancelAbandon(c.id());
        chat.events.publish(new ConversationEvent.CustomerPresence(c, true));
      }
      return 1;
    });
  }

  void customerDisconnected(long customerId) {
    Integer left = connections.computeIfPresent(customerId, (k, n) -> {
      if (n > 1) {
        return n - 1;
      }
      for (Conversation c : chat.openForCustomer(customerId)) {
        chat.events.publish(new ConversationEvent.CustomerPresence(c, false));
      }
      return null;
    });
    if (left == null) {
      customerAway(customerId);
    }
  }

  boolean isConnected(long customerId) {
    return connections.containsKey(customerId);
  }

  /** No session of the customer is connected (also every customer at start): what nobody answered may be abandoned. */
  void customerAway(long customerId) {
    if (connections.containsKey(customerId)) {
      return;
    }
    for (Conversation c : chat.openForCustomer(customerId)) {
      if (c.abandonable()) {
        startAbandonClock(c);
      }
    }
  }

  private void startAbandonClock(Conversation c) {
    replace(c.id(), true, timeouts.apply(c.centerId()).customerGrace(), () -> {
      if (!connections.containsKey(c.customerId())) {
        abandon(c);
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

  /**
   * An agent got the conversation: the idle clock waits for their first message. A customer who is
   * away keeps the abandon clock they had while it waited, unless it was answered before.
   */
  void assigned(Conversation c) {
    if (connections.containsKey(c.customerId()) || !c.abandonable()) {
      cancel(c.id());
    } else if (!isAbandonClock(c.id())) {
      startAbandonClock(c);
    }
  }

  void agentSpoke(Conversation c) {
    if (c.state() != ConversationState.ASSIGNED) {
      // On hold an answer still stops the abandon clock; the idle clock starts after the hold.
      cancelAbandon(c.id());
      return;
    }
    Timeouts t = timeouts.apply(c.centerId());
    replace(c.id(), false, t.idleWarning(), () -> {
      if (!stillAssigned(c)) {
        return;
      }
      // The close clock starts before the warning is said, so a reply that races the warning cancels it.
      replace(c.id(), false, t.idleClose(), () -> {
        if (stillAssigned(c)) {
          expireIdle(c);
        }
      });
      chat.say(c.id(), IDLE_WARNING_TEXT);
    });
  }

  /**
   * The customer stayed away past the grace before anyone answered them: abandoned, and an agent
   * who has it gets their place back at once. Refused when it was answered meanwhile.
   */
  private void abandon(Conversation c) {
    chat.end(Participant.customer(c.customerId()), c.id(), x -> x.abandonable()
        ? x.withState(ConversationState.ABANDONED) : null, "abandoned", 0, null, List.of());
  }

  /** The customer stayed silent past the idle warning of an assigned conversation: closed with reason timeout. */
  private void expireIdle(Conversation c) {
    chat.end(Participant.customer(c.customerId()), c.id(), x -> x.state() == ConversationState.ASSIGNED
        ? x.withState(ConversationState.CLOSED) : null, "timeout", 0, null, List.of());
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

  /** HOLD stops the idle clock, not the abandon clock: a customer who is gone is gone on hold too. */
  void held(long conversationId) {
    Pending p = pending.get(conversationId);
    if (p != null && !p.abandon && pending.remove(conversationId, p)) {
      p.cancel();
    }
  }

  void ended(long conversationId) {
    cancel(conversationId);
  }

  private boolean isAbandonClock(long conversationId) {
    Pending p = pending.get(conversationId);
    return p != null && p.abandon;
  }

  private void replace(long conversationId, boolean abandon, Duration delay, Runnable task) {
    Pending mine = new Pending(abandon);
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

  private void cancelAbandon(long conversationId) {
    Pending p = pending.get(conversationId);
    if (p != null && p.abandon && pending.remove(conversationId, p)) {
      p.cancel();
    }
  }

  private void cancel(long conversationId) {
    Pending previous = pending.remove(conversationId);
    if (previous != null) {
      previous.cancel();
    }
  }
}
