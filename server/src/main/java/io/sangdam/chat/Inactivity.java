package io.sangdam.chat;

import io.sangdam.routing.Timers;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
  private final Set<Long> absentCustomers = ConcurrentHashMap.newKeySet();
  /** Per conversation: the abandon timer of a waiting one, or the idle timer of an assigned one. */
  private final Map<Long, Timers.Cancellable> pending = new ConcurrentHashMap<>();

  Inactivity(ConversationService chat, LongFunction<Timeouts> timeouts, Timers timers) {
    this.chat = chat;
    this.timeouts = timeouts;
    this.timers = timers;
  }

  void customerAbsent(long customerId) {
    absentCustomers.add(customerId);
    for (Conversation c : chat.openForCustomer(customerId)) {
      if (c.state() == ConversationState.WAITING) {
        startAbandonClock(c);
      }
    }
  }

  void customerPresent(long customerId) {
    if (absentCustomers.remove(customerId)) {
      for (Conversation c : chat.openForCustomer(customerId)) {
        if (c.state() == ConversationState.WAITING) {
          cancel(c.id());
        }
      }
    }
  }

  private void startAbandonClock(Conversation c) {
    replace(c.id(), timeouts.apply(c.centerId()).customerGrace(), () -> {
      if (absentCustomers.contains(c.customerId())) {
        chat.expire(c, ConversationState.WAITING);
      }
    });
  }

  /** Waiting again (transfer, overflow, agent gone): the idle clock stops; an absent customer's abandon clock starts. */
  void requeued(Conversation c) {
    cancel(c.id());
    if (absentCustomers.contains(c.customerId())) {
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
      // The close clock starts before the warning is said, so a reply that races the warning cancels it.
      replace(c.id(), t.idleClose(), () -> chat.expire(c, ConversationState.ASSIGNED));
      chat.say(c.id(), IDLE_WARNING_TEXT);
    });
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

  /** The timer fires only if it is still the conversation's current one. */
  private void replace(long conversationId, Duration delay, Runnable task) {
    Timers.Cancellable[] self = new Timers.Cancellable[1];
    self[0] = timers.schedule(delay, () -> {
      if (pending.remove(conversationId, self[0])) {
        task.run();
      }
    });
    Timers.Cancellable previous = pending.put(conversationId, self[0]);
    if (previous != null) {
      previous.cancel();
    }
  }

  private void cancel(long conversationId) {
    Timers.Cancellable previous = pending.remove(conversationId);
    if (previous != null) {
      previous.cancel();
    }
  }
}
