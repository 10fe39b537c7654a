package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.routing.Timers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

/**
 * The timeouts of conversations, and the customer's presence. A customer with no connected
 * session abandons, after the center's customer grace, every conversation nobody has answered
 * yet: a waiting one, and an assigned one before the agent's first message (the agent's place is
 * given back then). An answered conversation whose customer has not answered the agent's last
 * message gets a warning after the idle-warning time, and closes with reason {@code timeout}
 * after the idle-close time more. HOLD stops the idle clock. Timers only decide; the work goes
 * through {@link Transcript} and {@link Closing}. A conversation's clocks stop with its
 * {@code Closed} event; one that fires before finds the conversation ended and does nothing. A
 * channel's customer has no session to lose: their conversations have no abandon clock (the idle
 * clocks apply as to any).
 */
public final class Inactivity implements ConversationEvents.Subscriber {
  private final LiveConversations live;
  private final Transcript transcript;
  private final Closing closing;
  private final ConversationEvents events;
  private final BlockingWork work;
  private final LongFunction<Timeouts> timeouts;
  private final Timers timers;
  /** Where each customer's sessions are; a customer without an entry is away. Changed atomically per customer. */
  private final Map<Long, Presence> connections = new ConcurrentHashMap<>();
  /** Per conversation: its abandon clock (customer away, nobody answered yet) or its idle clock. */
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

  /** A customer's sessions: how many on this node, and which other nodes have some. */
  private record Presence(int here, Set<String> elsewhere) {
    static final Presence AWAY = new Presence(0, Set.of());

    boolean present() {
      return here > 0 || !elsewhere.isEmpty();
    }

    Presence withHere(int sessions) {
      return new Presence(sessions, elsewhere);
    }

    Presence on(String node, boolean present) {
      Set<String> nodes = new HashSet<>(elsewhere);
      if (present) {
        nodes.add(node);
      } else {
        nodes.remove(node);
      }
      return new Presence(here, Set.copyOf(nodes));
    }
  }

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

  /** {@code timeouts}: a center's timeouts; may look up the center's settings, so called on the blocking executor or timers. */
  public Inactivity(LiveConversations live, Transcript transcript, Closing closing, ConversationEvents events,
      LongFunction<Timeouts> timeouts, Timers timers, Executor blocking) {
    this.live = requireNonNull(live, "live");
    this.transcript = requireNonNull(transcript, "transcript");
    this.closing = requireNonNull(closing, "closing");
    this.events = requireNonNull(events, "events");
    this.timeouts = requireNonNull(timeouts, "timeouts");
    this.timers = requireNonNull(timers, "timers");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
  }

  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.Closed) {
      cancel(event.conversationId());
    }
  }

  /**
   * A session of the customer said hello on this node; with the first one anywhere, the customer is
   * back: clocks stop, agents are told.
   */
  public void customerConnected(long customerId) {
    change(customerId, p -> p.withHere(p.here() + 1));
  }

  /**
   * A session of the customer closed on this node; with their last one anywhere gone, what nobody
   * answered is abandoned after the grace period.
   */
  public void customerDisconnected(long customerId) {
    change(customerId, p -> p.withHere(Math.max(0, p.here() - 1)));
  }

  /** Another node has sessions of the customer ({@code present}), or none any more. */
  public void customerElsewhere(long customerId, String node, boolean present) {
    change(customerId, p -> p.on(node, present));
  }

  /** {@code node} told all its customers: those it had before and does not name any more are not there. */
  public void onlyThese(String node, Set<Long> customers) {
    connections.forEach((customerId, p) -> {
      if (p.elsewhere().contains(node) && !customers.contains(customerId)) {
        change(customerId, q -> q.on(node, false));
      }
    });
  }

  /** A node left the cluster: its sessions are gone, and the customers it alone had are away. */
  public void nodeGone(String node) {
    connections.forEach((customerId, p) -> {
      if (p.elsewhere().contains(node)) {
        change(customerId, q -> q.on(node, false));
      }
    });
  }

  /** Whether a session of the customer is connected, on this node or another. */
  public boolean customerPresent(long customerId) {
    return connections.containsKey(customerId);
  }

  /**
   * Applies a change of where the customer's sessions are. Presence is told inside the update, so a
   * customer's online and offline pushes go out in the order their sessions came and went; with the
   * last session gone, the abandon clocks start on the blocking executor (they look up the center's settings).
   */
  private void change(long customerId, UnaryOperator<Presence> change) {
    boolean[] away = {false};
    connections.compute(customerId, (k, before) -> {
      Presence was = before == null ? Presence.AWAY : before;
      Presence now = change.apply(was);
      if (!was.present() && now.present()) {
        for (Conversation c : live.ownedForCustomer(customerId)) {
          cancelAbandon(c.id());
          events.publish(new ConversationEvent.CustomerPresence(c, true));
        }
      } else if (was.present() && !now.present()) {
        for (Conversation c : live.ownedForCustomer(customerId)) {
          events.publish(new ConversationEvent.CustomerPresence(c, false));
        }
        away[0] = true;
      }
      return now.present() ? now : null;
    });
    if (away[0]) {
      work.async(() -> {
        customerAway(customerId);
        return null;
      });
    }
  }

  /** No session of the customer is connected: what nobody answered may be abandoned. */
  private void customerAway(long customerId) {
    if (connections.containsKey(customerId)) {
      return;
    }
    for (Conversation c : live.ownedForCustomer(customerId)) {
      if (away(c) && (c.abandonable() || c.state() == ConversationState.BOT)) {
        startAbandonClock(c);
      }
    }
  }

  /**
   * A conversation taken up from the database (at start, or with its center from another node):
   * a customer with no session here may abandon it, as after a disconnect.
   */
  void adopted(Conversation c) {
    if (away(c) && (c.abandonable() || c.state() == ConversationState.BOT)) {
      startAbandonClock(c);
    }
  }

  /** The conversation went to another node with its center: its clocks stop here without deciding anything. */
  void released(long conversationId) {
    cancel(conversationId);
  }

  private void startAbandonClock(Conversation c) {
    replace(c.id(), true, timeouts.apply(c.centerId()).customerGrace(), () -> {
      if (away(c)) {
        abandon(c);
      }
    });
  }

  /** Waiting again (transfer, overflow, agent gone): the idle clock stops; an absent customer's abandon clock starts. */
  void requeued(Conversation c) {
    cancel(c.id());
    if (away(c)) {
      startAbandonClock(c);
    }
  }

  /**
   * An agent got the conversation: the idle clock waits for their first message. A customer who is
   * away keeps the abandon clock they had while it waited, unless it was answered before.
   */
  void assigned(Conversation c) {
    if (!away(c) || !c.abandonable()) {
      cancel(c.id());
    } else if (!isAbandonClock(c.id())) {
      startAbandonClock(c);
    }
  }

  void agentSpoke(Conversation spoken) {
    // Told once the message reached the others: the conversation may have moved on meanwhile (a transfer
    // to a queue starts its own clocks), so it is what the conversation is now that counts.
    Conversation c = live.get(spoken.id()).filter(now -> Objects.equals(now.agentId(), spoken.agentId()))
        .orElse(null);
    if (c == null) {
      return;
    }
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
      transcript.say(c.id(), Notice.idleWarning(t.idleClose()));
    });
  }

  /**
   * The customer stayed away past the grace before anyone answered them: abandoned, and an agent
   * who has it gets their place back at once. Refused when it was answered meanwhile. With the bot,
   * closed with reason customer instead.
   */
  private void abandon(Conversation c) {
    if (live.get(c.id()).filter(x -> x.state() == ConversationState.BOT).isPresent()) {
      // Gone while the bot had it: they never waited for an agent, so it closes as their leaving does.
      closing.end(Participant.customer(c.customerId()), c.id(), x -> x.state() == ConversationState.BOT
          ? x.withState(ConversationState.CLOSED) : null, "customer", 0, null, List.of());
      return;
    }
    closing.end(Participant.customer(c.customerId()), c.id(), x -> x.abandonable()
        ? x.withState(ConversationState.ABANDONED) : null, "abandoned", 0, null, List.of());
  }

  /** The customer stayed silent past the idle warning of an assigned conversation: closed with reason timeout. */
  private void expireIdle(Conversation c) {
    closing.end(Participant.customer(c.customerId()), c.id(), x -> x.state() == ConversationState.ASSIGNED
        ? x.withState(ConversationState.CLOSED) : null, "timeout", 0, null, List.of());
  }

  /**
   * The customer has no connected session though they would need one: a channel's customer (KakaoTalk,
   * a company's app) never has one, and is never away for that; their channel's own rules end the session.
   */
  private boolean away(Conversation c) {
    return c.hasCustomerSocket() && !connections.containsKey(c.customerId());
  }

  /** Still ASSIGNED (not on hold, not ended, not moved) to the same agent. */
  private boolean stillAssigned(Conversation c) {
    return live.get(c.id())
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
