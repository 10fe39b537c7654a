package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.routing.Routing;
import io.sangdam.routing.WaitingConversation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
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
  private final Routing routing;
  private final Assignments assignments;
  private final Inactivity inactivity;
  private final LongConsumer agentsAtWork;
  private final BlockingWork work;

  /**
   * {@code agentsAtWork} tells routing again of a center's agents who are at work (ONLINE or AWAY)
   * on this node: a center's fresh engine knows nobody, and an agent's status is only told when it
   * changes. It must not block.
   */
  public CenterOwnership(LiveConversations live, ChatStore store, Routing routing, Assignments assignments,
      Inactivity inactivity, LongConsumer agentsAtWork, Executor blocking) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
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
   * A conversation another node moved into a center this node routes (a transfer to a queue, an
   * overflow): taken up from the database as with its center, so routing here offers it to the
   * center's agents and this node carries out its calls. One already live here is left as it is.
   */
  public CompletableFuture<Void> moveIn(long conversationId, long centerId) {
    return work.async(() -> {
      store.conversation(conversationId).filter(c -> c.state().isOpen() && c.centerId() == centerId)
          .ifPresent(c -> {
            if (!live.putIfAbsent(c)) {
              return;
            }
            if (c.state() == ConversationState.WAITING) {
              routing.offer(c.inLine(store.previousAgent(c.customerId(), c.id()).orElse(null)));
            } else if (c.agentId() != null) {
              routing.restoreLoad(centerId, c.agentId(), c.queueId(), c.id(), c.assignedAt());
            }
            inactivity.adopted(c);
          });
      return null;
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
      } else {
        routing.restoreLoad(centerId, c.agentId(), c.queueId(), c.id(), c.assignedAt());
      }
    }
    waiting.sort(WaitingConversation.LINE_ORDER);
    waiting.forEach(routing::offer);
    taken.forEach(inactivity::adopted);
    agentsAtWork.accept(centerId);
  }
}
