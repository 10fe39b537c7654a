package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Routing;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Transfer (이관) to another agent or queue, and hold: the agent's hand-offs of a conversation they carry. */
public final class Handover {
  private final LiveConversations live;
  private final ChatStore store;
  private final Routing routing;
  private final Requeue requeue;
  private final Transcript transcript;
  private final Inactivity inactivity;
  private final ConversationEvents events;
  private final ConversationLookup lookup;
  private final BlockingWork work;
  private final Clock clock;

  public Handover(LiveConversations live, ChatStore store, Routing routing, Requeue requeue, Transcript transcript,
      Inactivity inactivity, ConversationEvents events, ConversationLookup lookup, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.routing = requireNonNull(routing, "routing");
    this.requeue = requireNonNull(requeue, "requeue");
    this.transcript = requireNonNull(transcript, "transcript");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.events = requireNonNull(events, "events");
    this.lookup = requireNonNull(lookup, "lookup");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  private Optional<Conversation> carried(long agentId, long conversationId) {
    return live.get(conversationId).filter(c -> c.isAssignedTo(agentId)
        && (c.state() == ConversationState.ASSIGNED || c.state() == ConversationState.HOLD));
  }

  /**
   * Back to waiting in {@code target} (this center or another of the tenant), keeping its place by
   * its start time; the next agent sees {@code note}, the customer a system message.
   */
  public CompletableFuture<Void> toQueue(long agentId, long conversationId, Queue target, Optional<String> note,
      long originSession) {
    Optional<Conversation> c = carried(agentId, conversationId);
    if (c.isEmpty()) {
      return lookup.refused(Participant.agent(agentId), conversationId);
    }
    note.ifPresent(n -> live.leaveTransferNote(conversationId, n));
    CompletableFuture<Void> told = new CompletableFuture<>();
    return requeue.requeue(c.get(), target, true, Notice.transferredToQueue(),
        waiting -> events.publish(new ConversationEvent.Transferred(waiting, agentId, originSession))
            .whenComplete((x, e) -> told.complete(null))).thenCompose(waiting -> {
              note.ifPresent(n -> work.async(() -> store.insertNote(conversationId, agentId, "TRANSFER", null, n,
                  now())));
              return told; // the agent is answered after the transfer reached their other sessions
            }).whenComplete((x, e) -> {
      if (e != null) {
        live.dropTransferNote(conversationId);
      }
    });
  }

  /** Straight to another available agent of the same center who has room. */
  public CompletableFuture<Void> toAgent(long agentId, long conversationId, long targetId, String targetName,
      Optional<String> note, long originSession) {
    Optional<Conversation> carried = carried(agentId, conversationId);
    if (carried.isEmpty()) {
      return lookup.refused(Participant.agent(agentId), conversationId);
    }
    Conversation c = carried.get();
    return routing.reserve(c.centerId(), targetId, c.queueId(), conversationId).thenCompose(result -> {
      switch (result) {
        case ASSIGNED -> { }
        case FULL -> throw new SangdamException(ErrorCode.AT_CAPACITY, targetName + " has no room for another chat");
        default -> throw new SangdamException(ErrorCode.AGENT_UNAVAILABLE, targetName + " is not online");
      }
      return work.async(() -> {
        if (!store.markHandedOver(conversationId, agentId, targetId, now())) {
          routing.released(c.centerId(), targetId, conversationId);
          throw lookup.refusal(Participant.agent(agentId), conversationId);
        }
        note.ifPresent(n -> store.insertNote(conversationId, agentId, "TRANSFER", null, n, now()));
        // An end racing the hand-over has the last word; the place held with the target is given back.
        return live.update(conversationId, old -> old.state().isOpen() ? old.assignedTo(targetId, now())
            : null).orElseThrow(() -> {
              routing.released(c.centerId(), targetId, conversationId);
              return new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId
                  + " is closed");
            });
      });
    }).thenCompose(handed -> {
      inactivity.assigned(handed);
      // The old agent's place is given back once they were told, so no new chat reaches them before the transfer does.
      events.publish(new ConversationEvent.Transferred(c, agentId, originSession))
          .thenRun(() -> routing.released(c.centerId(), agentId, conversationId));
      CompletableFuture<Void> told = events.publish(new ConversationEvent.Assigned(handed, note.orElse(null)));
      transcript.say(conversationId, Notice.transferredToAgent(targetName));
      return told;
    });
  }

  /**
   * A supervisor becomes the assignee of a live conversation in their scope (checked by the
   * caller); the previous agent is told it left them. No capacity check: supervising overrides it.
   */
  public CompletableFuture<Conversation> takeOver(long supervisorId, String supervisorName, long conversationId,
      long originSession) {
    Optional<Conversation> current = live.get(conversationId)
        .filter(c -> c.agentId() != null && c.state().isOpen() && c.agentId() != supervisorId);
    if (current.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONFLICT,
          "conversation " + conversationId + " has no other agent to take it from"));
    }
    Conversation c = current.get();
    long from = c.agentId();
    return work.async(() -> {
      if (!store.markHandedOver(conversationId, from, supervisorId, now())) {
        throw SangdamException.notFound("conversation " + conversationId);
      }
      return live.update(conversationId, old -> old.state().isOpen() && Objects.equals(old.agentId(), from)
          ? old.assignedTo(supervisorId, now()) : null)
          .orElseThrow(() -> new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId
              + " is closed"));
    }).thenCompose(taken -> {
      routing.adopt(c.centerId(), supervisorId, c.queueId(), conversationId);
      inactivity.assigned(taken);
      events.publish(new ConversationEvent.Transferred(c, from, 0))
          .thenRun(() -> routing.released(c.centerId(), from, conversationId));
      CompletableFuture<Void> told = events.publish(new ConversationEvent.Assigned(taken, null));
      transcript.say(conversationId, Notice.takenOver(supervisorName));
      // The supervisor is answered after their own assigned push, as before the events had a bus.
      return told.thenApply(delivered -> taken);
    });
  }

  /** A supervisor moves a live conversation from its agent to another of the center with room. */
  public CompletableFuture<Void> reassign(long conversationId, long targetId, String targetName) {
    Optional<Conversation> current = live.get(conversationId)
        .filter(c -> c.agentId() != null && c.state().isOpen());
    if (current.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONFLICT,
          "conversation " + conversationId + " has no agent to reassign it from"));
    }
    if (current.get().agentId() == targetId) {
      return CompletableFuture.completedFuture(null);
    }
    return toAgent(current.get().agentId(), conversationId, targetId, targetName, Optional.empty(), 0);
  }

  /** HOLD (the customer is told to wait; no idle timeout) or back to ASSIGNED. Asking for the current state changes nothing. */
  public CompletableFuture<Void> hold(long agentId, long conversationId, boolean hold, long originSession) {
    Optional<Conversation> carried = carried(agentId, conversationId);
    if (carried.isEmpty()) {
      return lookup.refused(Participant.agent(agentId), conversationId);
    }
    ConversationState wanted = hold ? ConversationState.HOLD : ConversationState.ASSIGNED;
    if (carried.get().state() == wanted) {
      return CompletableFuture.completedFuture(null);
    }
    return work.async(() -> {
      if (!store.markHold(conversationId, agentId, hold)) {
        throw lookup.refusal(Participant.agent(agentId), conversationId);
      }
      return live.update(conversationId, old -> old.state().isOpen() ? old.withState(wanted) : null)
          .orElseThrow(() -> new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId
              + " is closed"));
    }).thenCompose(c -> {
      inactivity.held(conversationId);
      transcript.say(conversationId, Notice.held(hold));
      return events.publish(new ConversationEvent.Held(c, hold, originSession));
    });
  }

  private Instant now() {
    return StoredTime.now(clock);
  }
}
