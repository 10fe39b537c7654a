package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.routing.Routing;
import io.sangdam.routing.WaitingConversation;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A customer's new conversation entering the live state and routing (those the database already
 * holds open enter with their center: {@link CenterOwnership}).
 */
public final class ConversationStart {
  private static final Logger log = LoggerFactory.getLogger(ConversationStart.class);

  private final LiveConversations live;
  private final ChatStore store;
  private final Transcript transcript;
  private final Routing routing;
  private final ConversationEvents events;
  private final BlockingWork work;
  private final Clock clock;
  private volatile BotDoor bots = BotDoor.NONE;

  public ConversationStart(LiveConversations live, ChatStore store, Transcript transcript, Routing routing,
      ConversationEvents events, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.transcript = requireNonNull(transcript, "transcript");
    this.routing = requireNonNull(routing, "routing");
    this.events = requireNonNull(events, "events");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * From now on a new conversation whose entry has a scenario opens with its bot. Set once, while the server is
   * built: the bot layer is built after chat, as it uses chat's calls.
   */
  public void meetBots(BotDoor door) {
    this.bots = requireNonNull(door, "door");
  }

  /**
   * Opens a conversation in a queue, with the queue's priority plus the customer's own. An opening
   * message ({@code first}) is stored with the conversation, in one transaction: the starting session
   * learns of it from the conversation's {@code lastSeq}, the customer's other sessions by a
   * {@code message}. {@code announce} is called with the new conversation before it is routed, so the
   * starting session says {@code started} before any {@code queue} or {@code assigned}. A channel's
   * customer who has an open conversation already (another node opened it a moment before) is refused
   * {@code conflict}, and nothing is stored.
   */
  public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
      Optional<FirstMessage> first, long originSession, Consumer<Conversation> announce) {
    return start(tenantId, queue, customerId, customerName, first, originSession, null, announce);
  }

  /**
   * As {@link #start(long, Queue, long, String, Optional, long, Consumer)}, the conversation stored
   * with the start's key (null: none), so that a start asked again finds it ({@link #startedWith}).
   */
  public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
      Optional<FirstMessage> first, long originSession, String startKey, Consumer<Conversation> announce) {
    Instant at = StoredTime.now(clock);
    return work.async(() -> {
      BotStart bot = bots.entry(tenantId, queue, customerId).orElse(null);
      Conversation c = store.insertConversation(tenantId, queue.centerId(), queue.id(), customerId, customerName,
          queue.priority() + store.customerPriority(customerId), at, startKey, first.orElse(null), bot);
      live.put(c);
      Long previous = queue.preferPreviousAgent() ? store.previousAgent(customerId, c.id()).orElse(null) : null;
      return new Inserted(c, c.inLine(previous));
    }).thenCompose(inserted -> {
      WaitingConversation w = inserted.inLine();
      // With many nodes its center may have moved to another node within these milliseconds: this node's copy
      // then, or the conversation as it was inserted.
      Conversation c = now(inserted.conversation());
      // The opening message was committed with the conversation, as message 1: the live state learns it
      // and its event is published as for any message, before the conversation is announced and routed.
      // Not learnt here (the conversation moved and no copy is left), it is committed all the same: the start
      // answers with it, so the customer's session never takes its conversation for empty.
      CompletableFuture<Conversation> ready = first.isEmpty()
          ? CompletableFuture.completedFuture(c)
          : transcript.stored(new StoredMessage(c.id(), 1, SenderKind.CUSTOMER, customerId, first.get().cmid(),
              first.get().text(), at, null, false), originSession)
              .exceptionally(e -> {
                Conversation known = now(c);
                return known.lastSeq() >= 1 ? known : known.withLastSeq(1);
              });
      return ready.whenComplete((started, e) -> announceThenRoute(w, started, announce));
    });
  }

  /** A conversation just inserted, and its place in line. */
  private record Inserted(Conversation conversation, WaitingConversation inLine) {}

  /** The conversation as this node has it now: live here, else its copy, else as {@code c} says. */
  private Conversation now(Conversation c) {
    return live.get(c.id()).or(() -> live.copyOf(c.id())).orElse(c);
  }

  /** The conversation a start under {@code startKey} opened, as it is now; empty when there is none. */
  public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
    return work.async(() -> store.conversationStartedWith(tenantId, startKey))
        .thenApply(found -> found.map(c -> live.get(c.id()).orElse(c)));
  }

  private void announceThenRoute(WaitingConversation w, Conversation started, Consumer<Conversation> announce) {
    try {
      announce.accept(started);
      events.publish(new ConversationEvent.Started(started));
    } catch (RuntimeException failed) {
      log.error("conversation {} could not be announced; it is routed all the same", started.id(), failed);
    } finally {
      if (started.state() == ConversationState.BOT) {
        // Routing never sees it while its bot has it: the bot offers it to a queue when it hands it off.
        bots.opened(started);
      } else {
        // The conversation exists and waits: a failed announcement must not leave it out of every line.
        routing.offer(w);
      }
    }
  }
}
