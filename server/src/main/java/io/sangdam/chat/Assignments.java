package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.PickResult;
import io.sangdam.routing.Position;
import io.sangdam.routing.Routing;
import io.sangdam.routing.RoutingListener;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the routing engines' decisions (persist, then the live state, then publish) and an
 * agent's picks and waiting lists.
 */
public final class Assignments implements RoutingListener {
  private static final Logger log = LoggerFactory.getLogger(Assignments.class);


  private final LiveConversations live;
  private final ChatStore store;
  private final Routing routing;
  private final Requeue requeue;
  private final Inactivity inactivity;
  private final ConversationEvents events;
  private final LongFunction<Optional<Queue>> queues;
  private final BlockingWork work;
  private final Clock clock;
  /** Picks the engine granted, completed once the assignment is persisted (or could not be). */
  private final Map<PickKey, CompletableFuture<Void>> picks = new ConcurrentHashMap<>();

  private record PickKey(long conversationId, long agentId) {}

  public Assignments(LiveConversations live, ChatStore store, Routing routing, Requeue requeue, Inactivity inactivity,
      ConversationEvents events, LongFunction<Optional<Queue>> queues, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.routing = requireNonNull(routing, "routing");
    this.requeue = requireNonNull(requeue, "requeue");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.events = requireNonNull(events, "events");
    this.queues = requireNonNull(queues, "queues");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Carries out a routing decision (or a pick). The live state is claimed first, so a customer
   * leaving meanwhile sees an assigned conversation and releases its agent; then it is persisted,
   * then both sides are told.
   */
  @Override
  public void assign(long centerId, long conversationId, long agentId, boolean picked) {
    CompletableFuture<Void> pick = picked ? picks.remove(new PickKey(conversationId, agentId)) : null;
    Instant at = StoredTime.now(clock);
    Optional<Conversation> claimed = live.update(conversationId,
        old -> old.state() == ConversationState.WAITING ? old.assignedTo(agentId, at) : null);
    if (claimed.isEmpty()) {
      routing.released(centerId, agentId, conversationId);
      tooLate(pick, conversationId);
      return;
    }
    Conversation c = claimed.get();
    work.async(() -> store.markAssigned(conversationId, agentId, picked ? "PICKED" : "ROUTED", at))
        .whenComplete((assigned, e) -> {
          if (e != null) {
            log.warn("could not assign conversation {} to agent {}; it waits again", conversationId, agentId, e);
            Optional<Conversation> back = live.update(conversationId, cur -> cur.isAssignedTo(agentId)
                && cur.state() == ConversationState.ASSIGNED
                ? cur.waitingIn(cur.centerId(), cur.queueId(), cur.priority(), cur.queuedAt()) : null);
            if (back.isPresent()) {
              routing.released(centerId, agentId, conversationId);
              routing.offer(back.get().inLine(null));
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
          Optional<Conversation> still = live.get(conversationId).filter(x -> x.isAssignedTo(agentId));
          if (still.isEmpty()) {
            Optional<Conversation> givenUp = live.copyOf(conversationId).filter(x -> x.isAssignedTo(agentId));
            if (givenUp.isPresent()) {
              // Stored just as the center was given up: its next owner loads it assigned and tells nobody.
              events.publish(new ConversationEvent.Assigned(givenUp.get(), null));
              if (pick != null) {
                pick.complete(null);
              }
              return;
            }
            tooLate(pick, conversationId);
            return;
          }
          inactivity.assigned(still.get());
          events.publish(new ConversationEvent.Assigned(still.get(), live.takeTransferNote(conversationId)));
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
    return routing.pick(agent, conversationId).whenComplete((result, e) -> {
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
      case NOT_WAITING -> work.async(() -> {
        Optional<Conversation> c = live.get(conversationId).or(() -> store.conversation(conversationId))
            .filter(x -> x.centerId() == agent.centerId());
        if (c.isEmpty()) {
          throw SangdamException.notFound("waiting conversation " + conversationId);
        }
        throw switch (c.get().state()) {
          case ASSIGNED, HOLD -> new SangdamException(ErrorCode.ALREADY_TAKEN,
              "conversation " + conversationId + " was already taken");
          case BOT, WAITING -> SangdamException.notFound("waiting conversation " + conversationId + " in your queues");
          case CLOSED, ABANDONED -> new SangdamException(ErrorCode.CONVERSATION_CLOSED,
              "conversation " + conversationId + " is closed");
        };
      });
    });
  }

  /** The waiting conversations of an agent's queues, in routing order. */
  public CompletableFuture<List<Conversation>> waitingFor(AgentProfile agent) {
    return routing.waiting(agent.centerId(), agent.queueIds()).thenApply(list -> list.stream()
        .flatMap(w -> live.get(w.conversationId()).stream()).toList());
  }

  @Override
  public void positions(List<Position> changed) {
    for (Position p : changed) {
      live.get(p.conversationId()).ifPresent(c -> events.publish(
          new ConversationEvent.Queued(c, p.position(), p.etaSeconds())));
    }
  }

  @Override
  public void overflow(long conversationId, long targetQueueId) {
    Optional<Queue> target = queues.apply(targetQueueId);
    Optional<Conversation> c = live.get(conversationId);
    if (target.isEmpty() || c.isEmpty()) {
      return;
    }
    requeue.requeue(c.get(), target.get(), false, null, x -> { }).exceptionally(e -> {
      log.warn("overflow of conversation {} failed; it stays where it was", conversationId, e);
      requeue.offerIfWaiting(conversationId);
      return null;
    });
  }

  /**
   * The agent's conversations wait again; the agent, if still connected (OFFLINE by choice), is told they left.
   * Each is released by its requeue; one no longer the agent's (ended or moved meanwhile) is released here.
   */
  @Override
  public void agentGone(long centerId, long agentId, List<Long> conversationIds) {
    for (long id : conversationIds) {
      Optional<Conversation> carried = live.get(id).filter(c -> c.isAssignedTo(agentId));
      if (carried.isEmpty()) {
        routing.released(centerId, agentId, id);
        continue;
      }
      queues.apply(carried.get().queueId()).ifPresent(q -> {
        log.info("agent {} stayed offline; conversation {} waits again", agentId, id);
        requeue.requeue(carried.get(), q, false, Notice.agentLost(),
            w -> events.publish(new ConversationEvent.Transferred(w, agentId, 0))).exceptionally(e -> {
              log.error("conversation {} of agent {} could not wait again; it stays assigned", id, agentId, e);
              return null;
            });
      });
    }
  }

  @Override
  public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
    if (added) {
      live.get(conversationId).ifPresent(c -> events.publish(new ConversationEvent.WaitingAdded(c)));
    } else {
      events.publish(new ConversationEvent.WaitingRemoved(conversationId, centerId, queueId));
    }
  }
}
