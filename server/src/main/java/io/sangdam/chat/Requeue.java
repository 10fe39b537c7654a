package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Routing;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Puts an open conversation back in line: a transfer to a queue, an overflow, an agent who stayed
 * away. Shared by {@link Handover} and {@link Assignments}. With many nodes, a conversation moved into
 * a center another node owns leaves this node once the move is committed, and that node takes it up
 * ({@link Handoffs}): only the owner of a center routes it and writes its messages.
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
  private final Handoffs handoffs;
  private final Clock clock;

  public Requeue(LiveConversations live, ChatStore store, Routing routing, Transcript transcript,
      Inactivity inactivity, ConversationEvents events, ConversationLookup lookup, Handoffs handoffs,
      Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.routing = requireNonNull(routing, "routing");
    this.transcript = requireNonNull(transcript, "transcript");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.events = requireNonNull(events, "events");
    this.lookup = requireNonNull(lookup, "lookup");
    this.handoffs = requireNonNull(handoffs, "handoffs");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Puts an open conversation back to waiting in {@code queue}, without an agent and keeping its
   * place by its start time: persisted first, then the live state, then routing. A previous agent
   * is released. A system message's {@code notice} is said before routing, so the customer reads it before
   * anyone takes over, and the next agent finds it in the transcript.
   */
  CompletableFuture<Conversation> requeue(Conversation c, Queue queue, boolean transfer, Notice notice,
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
    }).thenCompose(waiting -> inLine(c, waiting, notice, beforeRouting));
  }

  /**
   * A bot gives the conversation it owns to {@code queue} (of any center of the tenant), with what its forms
   * collected: {@code BOT -> WAITING}, waiting and placed in line from now, and offered to routing only now.
   */
  CompletableFuture<Conversation> handOff(Conversation c, Queue queue, List<CollectedValue> fields) {
    return work.async(() -> {
      Instant at = StoredTime.now(clock);
      if (!store.markHandedOff(c.id(), queue.centerId(), queue.id(), fields, at)) {
        throw lookup.refusal(Participant.customer(c.customerId()), c.id());
      }
      return live.update(c.id(), old -> old.state() == ConversationState.BOT
              ? old.handedOff(queue.centerId(), queue.id(), queue.priority() + (old.priority()
                  - c.priority()), at) : null)
          .orElseThrow(() -> new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + c.id()
              + " is no longer with its bot"));
    }).thenCompose(waiting -> inLine(c, waiting, null, x -> { }));
  }

  private CompletableFuture<Conversation> inLine(Conversation c, Conversation waiting, Notice notice,
      Consumer<Conversation> beforeRouting) {
      if (waiting.centerId() != c.centerId() || waiting.queueId() != c.queueId()
          || c.state() == ConversationState.BOT) {
        events.publish(new ConversationEvent.Moved(waiting));
      }
      if (!handoffs.heldHere(waiting.centerId())) {
        return handOver(c, waiting, notice, beforeRouting);
      }
      inactivity.requeued(waiting);
      if (c.agentId() != null) {
        routing.released(c.centerId(), c.agentId(), c.id());
      } else {
        routing.withdraw(c.centerId(), c.id());
      }
      beforeRouting.accept(waiting);
      CompletableFuture<?> said = notice == null ? CompletableFuture.completedFuture(null)
          : transcript.say(c.id(), notice);
      return said.handle((m, e) -> {
        offerIfWaiting(c.id());
        return waiting;
      });
  }

  /**
   * The conversation moved into a center another node owns: this node's clocks and routing let it go,
   * it is told to whoever watched it here, and it leaves the live state (a copy stays for this node's
   * sessions) before its new owner takes it up with the note and the system message, which only the owner
   * of its center may write. Completes at once: the move is committed, and should the owner not answer,
   * the center's next owner loads it from the database.
   */
  private CompletableFuture<Conversation> handOver(Conversation from, Conversation waiting, Notice notice,
      Consumer<Conversation> beforeRouting) {
    inactivity.released(from.id());
    if (from.agentId() != null) {
      routing.released(from.centerId(), from.agentId(), from.id());
    } else {
      routing.withdraw(from.centerId(), from.id());
    }
    beforeRouting.accept(waiting);
    String note = live.takeTransferNote(from.id());
    live.giveUp(from.id());
    handoffs.handOver(new Handoffs.Handoff(from.id(), waiting.centerId(), note, notice));
    return CompletableFuture.completedFuture(waiting);
  }

  /** Back in routing's line, if it still waits. */
  void offerIfWaiting(long conversationId) {
    live.get(conversationId).filter(x -> x.state() == ConversationState.WAITING)
        .ifPresent(x -> routing.offer(x.inLine(null)));
  }
}
