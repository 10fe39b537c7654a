package io.sangdam.chat;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.PickResult;
import io.sangdam.routing.Position;
import io.sangdam.routing.RoutingListener;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the routing engines' decisions (persist, then the live state, then notify) and an
 * agent's picks and waiting lists. Shares the live state and store of {@link ConversationService}.
 */
public final class Assignments implements RoutingListener {
  private static final Logger log = LoggerFactory.getLogger(Assignments.class);

  private final ConversationService chat;
  /** Picks the engine granted, completed once the assignment is persisted (or could not be). */
  private final Map<PickKey, CompletableFuture<Void>> picks = new ConcurrentHashMap<>();

  private record PickKey(long conversationId, long agentId) {}

  Assignments(ConversationService chat) {
    this.chat = chat;
  }

  /**
   * Carries out a routing decision (or a pick). The live state is claimed first, so a customer
   * leaving meanwhile sees an assigned conversation and releases its agent; then it is persisted,
   * then both sides are told.
   */
  @Override
  public void assign(long centerId, long conversationId, long agentId, boolean picked) {
    CompletableFuture<Void> pick = picked ? picks.remove(new PickKey(conversationId, agentId)) : null;
    Instant at = chat.now();
    Optional<Conversation> claimed = chat.open.update(conversationId,
        old -> old.state() == ConversationState.WAITING ? old.assignedTo(agentId, at) : null);
    if (claimed.isEmpty()) {
      chat.routing.released(centerId, agentId, conversationId);
      tooLate(pick, conversationId);
      return;
    }
    Conversation c = claimed.get();
    chat.async(() -> chat.store.markAssigned(conversationId, agentId, picked ? "PICKED" : "ROUTED", at))
        .whenComplete((assigned, e) -> {
          if (e != null) {
            log.warn("could not assign conversation {} to agent {}; it waits again", conversationId, agentId, e);
            Optional<Conversation> back = chat.open.update(conversationId, cur -> cur.isAssignedTo(agentId)
                && cur.state() == ConversationState.ASSIGNED
                ? cur.waitingIn(cur.centerId(), cur.queueId(), cur.priority(), cur.queuedAt()) : null);
            if (back.isPresent()) {
              chat.routing.released(centerId, agentId, conversationId);
              chat.routing.offer(ConversationService.waiting(back.get(), null));
            }
            if (pick != null) {
              pick.completeExceptionally(e);
            }
            return;
          }
          if (!Boolean.TRUE.equals(assigned)) {
            // It ended in the database first; that end releases the agent.
            tooLate(pick, conversationId);
            return;
          }
          Optional<Conversation> still = chat.open.get(conversationId).filter(x -> x.isAssignedTo(agentId));
          if (still.isEmpty()) {
            tooLate(pick, conversationId);
            return;
          }
          chat.inactivity.assigned(still.get());
          chat.events.publish(new ConversationEvent.Assigned(still.get(), chat.pendingNotes.remove(conversationId)));
          if (pick != null) {
            pick.complete(null);
          }
        });
  }

  /** The conversation ended or moved between the engine's decision and its persistence. */
  private static void tooLate(CompletableFuture<Void> pick, long conversationId) {
    if (pick != null) {
      pick.completeExceptionally(new SangdamException(ErrorCode.ALREADY_TAKEN,
          "conversation " + conversationId + " is no longer waiting"));
    }
  }

  /**
   * An agent takes a waiting conversation of one of their queues; the answer is the
   * {@code assigned} push, and the future completes once the assignment is persisted. Too late:
   * {@code already_taken}, or {@code conversation_closed} once it ended; another center's
   * conversation is {@code not_found}.
   */
  public CompletableFuture<Void> pick(AgentProfile agent, long conversationId) {
    PickKey key = new PickKey(conversationId, agent.agentId());
    CompletableFuture<Void> persisted = new CompletableFuture<>();
    CompletableFuture<Void> inFlight = picks.putIfAbsent(key, persisted);
    if (inFlight != null) {
      return inFlight;
    }
    return chat.routing.pick(agent, conversationId).whenComplete((result, e) -> {
      if (result != PickResult.ASSIGNED) {
        picks.remove(key, persisted);
      }
    }).thenCompose(result -> switch (result) {
      case ASSIGNED -> persisted;
      case FULL -> CompletableFuture.<Void>failedFuture(
          new SangdamException(ErrorCode.AT_CAPACITY, "you have no room for another conversation"));
      case NOT_YOURS -> CompletableFuture.<Void>failedFuture(
          SangdamException.notFound("waiting conversation " + conversationId));
      case OFFLINE -> CompletableFuture.<Void>failedFuture(new SangdamException(ErrorCode.AGENT_UNAVAILABLE,
          "set your status to ONLINE or AWAY to pick"));
      case NOT_WAITING -> chat.async(() -> {
        Optional<Conversation> c = chat.open.get(conversationId).or(() -> chat.store.conversation(conversationId))
            .filter(x -> x.centerId() == agent.centerId());
        if (c.isEmpty()) {
          throw SangdamException.notFound("waiting conversation " + conversationId);
        }
        throw switch (c.get().state()) {
          case ASSIGNED, HOLD -> new SangdamException(ErrorCode.ALREADY_TAKEN,
              "conversation " + conversationId + " was already taken");
          case WAITING -> SangdamException.notFound("waiting conversation " + conversationId + " in your queues");
          case CLOSED, ABANDONED -> new SangdamException(ErrorCode.CONVERSATION_CLOSED,
              "conversation " + conversationId + " is closed");
        };
      });
    });
  }

  /** The waiting conversations of an agent's queues, in routing order. */
  public CompletableFuture<List<Conversation>> waitingFor(AgentProfile agent) {
    return chat.routing.waiting(agent.centerId(), agent.queueIds()).thenApply(list -> list.stream()
        .flatMap(w -> chat.open.get(w.conversationId()).stream()).toList());
  }

  @Override
  public void positions(List<Position> changed) {
    for (Position p : changed) {
      chat.open.get(p.conversationId()).ifPresent(c -> chat.events.publish(
          new ConversationEvent.Queued(c, p.position(), p.etaSeconds())));
    }
  }

  @Override
  public void overflow(long conversationId, long targetQueueId) {
    Optional<Queue> target = chat.queues.apply(targetQueueId);
    Optional<Conversation> c = chat.open.get(conversationId);
    if (target.isEmpty() || c.isEmpty()) {
      return;
    }
    chat.requeue(c.get(), target.get(), false, null, x -> { }).exceptionally(e -> {
      log.warn("overflow of conversation {} failed; it stays where it was", conversationId, e);
      chat.open.get(conversationId).filter(x -> x.state() == ConversationState.WAITING)
          .ifPresent(x -> chat.routing.offer(ConversationService.waiting(x, null)));
      return null;
    });
  }

  /** The agent's conversations wait again; the agent, if still connected (OFFLINE by choice), is told they left. */
  @Override
  public void agentGone(long agentId, List<Long> conversationIds) {
    for (long id : conversationIds) {
      chat.open.get(id).filter(c -> c.isAssignedTo(agentId)).flatMap(c -> chat.queues.apply(c.queueId()).map(q -> {
        log.info("agent {} stayed offline; conversation {} waits again", agentId, id);
        return chat.requeue(c, q, false, ConversationService.AGENT_GONE_TEXT, w -> chat.events.publish(new ConversationEvent.Transferred(w, agentId, 0)))
            .exceptionally(e -> {
              log.error("conversation {} of agent {} could not wait again; it stays assigned", id, agentId, e);
              return null;
            });
      }));
    }
  }

  @Override
  public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
    if (added) {
      chat.open.get(conversationId).ifPresent(c -> chat.events.publish(new ConversationEvent.WaitingAdded(c)));
    } else {
      chat.events.publish(new ConversationEvent.WaitingRemoved(conversationId, centerId, queueId));
    }
  }
}
