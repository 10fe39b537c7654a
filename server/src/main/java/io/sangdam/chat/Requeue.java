package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Routing;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Puts an open conversation back in line: a transfer to a queue, an overflow, an agent who stayed
 * away. Shared by {@link Handover} and {@link Assignments}.
 */
public final class Requeue {
  private final LiveConversations live;
  private final ChatStore store;
  private final Routing routing;
  private final Transcript transcript;
  private final Inactivity inactivity;
  private final ConversationEvents events;
  private final ConversationLookup lookup;
  private final BlockingWork work;
  private final Clock clock;
  private final LongPredicate routedHere;

  /**
   * {@code routedHere}: whether this node routes a center now (always, alone on the database); a
   * conversation moved to a center routed elsewhere goes to that node ({@link CenterOwnership#moveIn}).
   */
  public Requeue(LiveConversations live, ChatStore store, Routing routing, Transcript transcript,
      Inactivity inactivity, ConversationEvents events, ConversationLookup lookup, Executor blocking, Clock clock,
      LongPredicate routedHere) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.routing = requireNonNull(routing, "routing");
    this.transcript = requireNonNull(transcript, "transcript");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.events = requireNonNull(events, "events");
    this.lookup = requireNonNull(lookup, "lookup");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
    this.routedHere = requireNonNull(routedHere, "routedHere");
  }

  /**
   * Puts an open conversation back to waiting in {@code queue}, without an agent and keeping its
   * place by its start time: persisted first, then the live state, then routing. A previous agent
   * is released. A {@code systemText} is said before routing, so the customer reads it before
   * anyone takes over, and the next agent finds it in the transcript.
   */
  CompletableFuture<Conversation> requeue(Conversation c, Queue queue, boolean transfer, String systemText,
      Consumer<Conversation> beforeRouting) {
    return work.async(() -> {
      Instant at = StoredTime.now(clock);
      if (!store.markWaiting(c.id(), c.agentId(), queue.centerId(), queue.id(), transfer, at)) {
        throw lookup.refusal(c.agentId() == null ? Participant.customer(c.customerId())
            : Participant.agent(c.agentId()), c.id());
      }
      // Only from the agent this started from: an end or another hand-over racing it has the last word.
      return live.update(c.id(), old -> old.state().isOpen() && Objects.equals(old.agentId(), c.agentId())
              ? old.waitingIn(queue.centerId(), queue.id(), queue.priority(), at) : null)
          .orElseThrow(() -> new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + c.id()
              + " is no longer where it was"));
    }).thenCompose(waiting -> {
      if (waiting.centerId() != c.centerId() || waiting.queueId() != c.queueId()) {
        events.publish(new ConversationEvent.Moved(waiting));
      }
      inactivity.requeued(waiting);
      if (c.agentId() != null) {
        routing.released(c.centerId(), c.agentId(), c.id());
      } else {
        routing.withdraw(c.centerId(), c.id());
      }
      beforeRouting.accept(waiting);
      CompletableFuture<?> said = systemText == null ? CompletableFuture.completedFuture(null)
          : transcript.say(c.id(), systemText);
      return said.handle((m, e) -> {
        if (routedHere.test(waiting.centerId())) {
          offerIfWaiting(c.id());
        } else {
          // Another node routes the target center: it takes the conversation up from its Moved event,
          // and this node keeps a copy only, so neither its routing nor its clocks act on it again.
          live.giveUp(c.id());
          inactivity.released(c.id());
        }
        return waiting;
      });
    });
  }

  /** Back in routing's line, if it still waits. */
  void offerIfWaiting(long conversationId) {
    live.get(conversationId).filter(x -> x.state() == ConversationState.WAITING)
        .ifPresent(x -> routing.offer(x.inLine(null)));
  }
}
