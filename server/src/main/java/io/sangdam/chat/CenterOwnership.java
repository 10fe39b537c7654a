package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.routing.Routing;
import io.sangdam.routing.WaitingConversation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centers whose conversations this node holds live and routes: at start every center with
 * open conversations; with many nodes, one center at a time as this node takes it up (its owner
 * died) or gives it up (another node owns it now). Taking a center up rebuilds it from the
 * database: waiting customers in their order, agents' loads with their grace periods, the
 * customers' clocks. Giving it up forgets it here without a word: nothing is published and
 * nothing written, since its new owner carries on from the database.
 */
public final class CenterOwnership {
  private static final Logger log = LoggerFactory.getLogger(CenterOwnership.class);

  private final LiveConversations live;
  private final ChatStore store;
  private final Transcript transcript;
  private final Routing routing;
  private final Assignments assignments;
  private final Inactivity inactivity;
  private final LongConsumer agentsAtWork;
  private final BlockingWork work;
  /** Per center held here: what the last {@link #sweep} found open in the database and not held. */
  private final Map<Long, Set<Long>> unheld = new ConcurrentHashMap<>();
  private volatile BotDoor bots = BotDoor.NONE;
  private volatile LongConsumer takenUp = centerId -> { };

  /**
   * {@code agentsAtWork} tells routing again of a center's agents who are at work (ONLINE or AWAY)
   * on this node: a center's fresh engine knows nobody, and an agent's status is only told when it
   * changes. It must not block.
   */
  public CenterOwnership(LiveConversations live, ChatStore store, Transcript transcript, Routing routing,
      Assignments assignments, Inactivity inactivity, LongConsumer agentsAtWork, Executor blocking) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.transcript = requireNonNull(transcript, "transcript");
    this.routing = requireNonNull(routing, "routing");
    this.assignments = requireNonNull(assignments, "assignments");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.agentsAtWork = requireNonNull(agentsAtWork, "agentsAtWork");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
  }

  /**
   * Starts routing, then takes up every center that has open conversations, read in one query.
   * Nobody is connected yet, so every agent with a conversation starts their grace period and every
   * customer is absent. Blocks; call once at start.
   */
  public void recover() {
    routing.start(assignments);
    Map<Long, List<Conversation>> byCenter = store.openConversations().stream()
        .collect(Collectors.groupingBy(Conversation::centerId, LinkedHashMap::new, Collectors.toList()));
    byCenter.forEach(this::takeUp);
    log.info("recovered {} open conversations of {} centers", live.size(), byCenter.size());
  }

  /**
   * With many nodes, at start: routing starts, and every open conversation is known as a copy (this
   * node's sessions may be in any of them) until this node takes its center up. Blocks; call once.
   */
  public void join() {
    routing.start(assignments);
    List<Conversation> open = store.openConversations();
    open.forEach(live::keepCopy);
    log.info("joined the cluster knowing {} open conversations", open.size());
  }

  /**
   * Takes up a center whose conversations another node held: they are loaded, and routing serves
   * the center again (see {@link #recover}). A conversation already live here is left as it is.
   * Completes once routing has been handed all of it.
   */
  public CompletableFuture<Void> adopt(long centerId) {
    return work.async(() -> {
      List<Conversation> open = store.openConversations(centerId);
      takeUp(centerId, open);
      log.info("took up center {} with {} open conversations", centerId, open.size());
      return null;
    });
  }

  /**
   * Takes up one conversation that another node moved into a center held here (a transfer to one of its
   * queues, an overflow): loaded from the database, put live, its note left for the next agent, its
   * system text said, then offered to routing in line order by its start time; an absent customer's
   * abandon clock starts. Nothing is done to a conversation that ended meanwhile or is live here already
   * (the center's own take-up loaded it). Completes once routing has it. The caller checked that this
   * node holds {@code handoff.centerId()}.
   */
  public CompletableFuture<Void> adoptConversation(Handoffs.Handoff handoff) {
    return work.async(() -> store.conversation(handoff.conversationId())).thenCompose(found -> {
      Optional<Conversation> open = found.filter(c -> c.state().isOpen() && c.centerId() == handoff.centerId());
      if (open.isEmpty()) {
        log.info("conversation {} was handed over to center {} but is no longer open there", handoff.conversationId(),
            handoff.centerId());
        return CompletableFuture.completedFuture(null);
      }
      Conversation c = open.get();
      boolean added = live.putIfAbsent(c);
      // Also when the center's take-up loaded it first, as long as nobody has been given it yet.
      if (handoff.note() != null && live.get(c.id()).filter(x -> x.state() == ConversationState.WAITING).isPresent()) {
        live.leaveTransferNote(c.id(), handoff.note());
      }
      if (!added) {
        return CompletableFuture.completedFuture(null);
      }
      inactivity.adopted(c);
      if (c.state() == ConversationState.BOT) {
        bots.adopted(c);
        return CompletableFuture.completedFuture(null);
      }
      if (c.state() != ConversationState.WAITING) {
        routing.restoreLoad(c.centerId(), c.agentId(), c.queueId(), c.id(), c.assignedAt());
        return CompletableFuture.completedFuture(null);
      }
      // Said before routing, as a requeue on one node does: the customer reads it before anyone takes over.
      CompletableFuture<?> said = handoff.notice() == null ? CompletableFuture.completedFuture(null)
          : transcript.say(c.id(), handoff.notice());
      return said.handle((m, e) -> {
        live.get(c.id()).filter(x -> x.state() == ConversationState.WAITING)
            .ifPresent(x -> routing.offer(x.inLine(null)));
        return null;
      });
    });
  }

  /**
   * Takes up the open conversations the database has in a center held here that this node does not hold:
   * a hand-over whose giving node died before this owner took the conversation up (the center's owner
   * never changed, so nothing else would load it). One is taken up, as a hand-over without a note, once
   * found so at two sweeps in a row: at one, a start or a hand-over may still be on its way in.
   * {@code held} is asked before each take-up: a center given up meanwhile takes nothing up. Completes
   * once each is taken up.
   */
  public CompletableFuture<Void> sweep(long centerId, LongPredicate held) {
    return work.async(() -> store.openConversations(centerId)).thenCompose(open -> {
      Set<Long> before = unheld.getOrDefault(centerId, Set.of());
      Set<Long> now = new HashSet<>();
      List<CompletableFuture<Void>> taken = new ArrayList<>();
      for (Conversation c : open) {
        if (!held.test(centerId)) {
          return CompletableFuture.completedFuture(null);
        }
        if (live.get(c.id()).isPresent()) {
          continue;
        }
        if (!before.contains(c.id())) {
          now.add(c.id());
          continue;
        }
        log.warn("conversation {} is open in center {} but was not held here: taken up (its hand-over was not "
            + "finished)", c.id(), centerId);
        taken.add(adoptConversation(new Handoffs.Handoff(c.id(), centerId, null, null)));
      }
      if (held.test(centerId)) {
        unheld.put(centerId, now);
      }
      return CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new));
    });
  }

  /**
   * Gives a center up to another node: its routing stops (its timers with it) and its
   * conversations leave the live state and stop their clocks, so nothing here acts on them again;
   * they stay as copies for this node's sessions, which the new owner's events keep current.
   * Completes once routing's timers of the center are cancelled.
   */
  public CompletableFuture<Void> release(long centerId) {
    CompletableFuture<Void> stopped = routing.drop(centerId);
    unheld.remove(centerId);
    List<Conversation> open = live.ofCenter(centerId);
    for (Conversation c : open) {
      // Out of the live state first: a clock firing meanwhile finds nothing left to act on.
      live.giveUp(c.id());
      inactivity.released(c.id());
    }
    log.info("gave up center {} with {} open conversations", centerId, open.size());
    return stopped;
  }

  /**
   * Loads go to routing before anyone waits, so no agent is offered more than their room; the
   * waiting follow in line order, so each is told their position as they join; the agents at work
   * come last, and are offered the best first.
   */
  /** The bot layer, told of the conversations in {@code BOT} a take-up finds. Set once, while the server is built. */
  public void meetBots(BotDoor door) {
    this.bots = requireNonNull(door, "door");
  }

  /**
   * Told each center this node takes up, once it is live here (the channel outbox, which then looks for what
   * the center's previous owner committed and did not live to hand on). Set once, while the server is built:
   * the outbox is built after chat. It must not block.
   */
  public void meetTakeUps(LongConsumer listener) {
    this.takenUp = requireNonNull(listener, "listener");
  }

  private void takeUp(long centerId, List<Conversation> open) {
    routing.take(centerId);
    List<Conversation> taken = new ArrayList<>();
    List<WaitingConversation> waiting = new ArrayList<>();
    for (Conversation c : open) {
      if (!live.putIfAbsent(c)) {
        continue;
      }
      taken.add(c);
      if (c.state() == ConversationState.WAITING) {
        waiting.add(c.inLine(store.previousAgent(c.customerId(), c.id()).orElse(null)));
      } else if (c.state() == ConversationState.BOT) {
        // No agent and in no line: its bot greets it now if the node that opened it stopped before the greeting,
        // and answers what the customer wrote that no turn answered yet; then it goes on at their next message.
        bots.adopted(c);
      } else {
        routing.restoreLoad(centerId, c.agentId(), c.queueId(), c.id(), c.assignedAt());
      }
    }
    waiting.sort(WaitingConversation.LINE_ORDER);
    waiting.forEach(routing::offer);
    taken.forEach(inactivity::adopted);
    agentsAtWork.accept(centerId);
    takenUp.accept(centerId);
  }
}
