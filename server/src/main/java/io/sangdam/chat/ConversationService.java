package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Routing;
import io.sangdam.routing.Timers;
import io.sangdam.routing.WaitingConversation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to a conversation goes through here (and through {@link Handover} and
 * {@link Inactivity}, which share its state): persist, then update the live state, then notify.
 * The open conversations are held in memory, rebuilt from the database at start. Methods return
 * futures and never block the caller; database work runs on {@code blocking}.
 */
public final class ConversationService {
  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  static final String AGENT_GONE_TEXT = "상담사와의 연결이 끊어져 다른 상담사를 연결해 드리겠습니다. 잠시만 기다려 주세요.";

  final ChatStore store;
  final MessageLog messages;
  final Routing routing;
  final ConversationEvents events;
  final Executor blocking;
  final Clock clock;
  final OpenConversations open = new OpenConversations();
  final LongFunction<Optional<Queue>> queues;
  final Inactivity inactivity;
  private final Assignments assignments;
  /** Notes left by a transfer to a queue, shown to whichever agent gets the conversation next. */
  final Map<Long, String> pendingNotes = new ConcurrentHashMap<>();

  public ConversationService(ChatStore store, MessageLog messages, Routing routing, ConversationEvents events,
      LongFunction<Optional<Queue>> queues, LongFunction<Timeouts> timeouts, Timers timers,
      Executor blocking, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.messages = requireNonNull(messages, "messages");
    this.routing = requireNonNull(routing, "routing");
    this.events = requireNonNull(events, "events");
    this.queues = requireNonNull(queues, "queues");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
    this.inactivity = new Inactivity(this, timeouts, timers);
    this.assignments = new Assignments(this);
  }

  /**
   * Loads the open conversations and hands them to routing: waiting ones to their queues,
   * assigned ones as their agents' load (which starts each agent's grace period, since nobody is
   * connected yet). Every customer also starts absent. Blocks; call once at start.
   */
  public void recover() {
    routing.start(assignments);
    for (Conversation c : store.openConversations()) {
      open.put(c);
      if (c.state() == ConversationState.WAITING) {
        routing.offer(waiting(c, store.previousAgent(c.customerId(), c.id()).orElse(null)));
      } else {
        routing.restoreLoad(c.centerId(), c.agentId(), c.queueId(), c.id(), c.assignedAt());
      }
      inactivity.customerAway(c.customerId());
    }
    log.info("recovered {} open conversations", open.size());
  }

  /**
   * Opens a conversation in a queue, with the queue's priority plus the customer's own. An opening {@code text} becomes its first message; the
   * starting session learns of it from the conversation's {@code lastSeq}, the customer's other
   * sessions by a {@code message}. {@code announce} is called with the new conversation before it
   * is routed, so the starting session says {@code started} before any {@code queue} or {@code assigned}.
   */
  public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
      Optional<String> text, long originSession, Consumer<Conversation> announce) {
    return async(() -> {
      Conversation c = store.insertConversation(tenantId, queue.centerId(), queue.id(), customerId, customerName,
          queue.priority() + store.customerPriority(customerId), now());
      open.put(c);
      Long previous = queue.preferPreviousAgent() ? store.previousAgent(customerId, c.id()).orElse(null) : null;
      return waiting(c, previous);
    }).thenCompose(w -> {
      Conversation c = open.get(w.conversationId()).orElseThrow();
      // The conversation exists once inserted: an opening text that fails to store leaves lastSeq 0
      // (the client sees it was not kept), but the conversation is announced and routed all the same.
      CompletableFuture<Conversation> ready = text.isEmpty()
          ? CompletableFuture.completedFuture(c)
          : messages.append(new NewMessage(c.id(), SenderKind.CUSTOMER, customerId, null, text.get(), now()))
              .thenApply(m -> afterStored(m, originSession))
              .exceptionally(e -> open.get(c.id()).orElse(c));
      return ready.whenComplete((started, e) -> {
        try {
          announce.accept(started);
          events.publish(new ConversationEvent.Started(started));
        } catch (RuntimeException failed) {
          log.error("conversation {} could not be announced; it is routed all the same", c.id(), failed);
        } finally {
          // The conversation exists and waits: a failed announcement must not leave it out of every line.
          routing.offer(w);
        }
      });
    });
  }

  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      long originSession) {
    return send(sender, conversationId, cmid, text, null, originSession);
  }

  /**
   * Appends a message from a participant, announcing {@code attachment} if not null. Completes
   * with the stored message (the original one when the cmid was seen before) once it is
   * committed; the other participants are told then.
   */
  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      Attachment attachment, long originSession) {
    CompletableFuture<StoredMessage> appended = appendIfOpen(conversationId, c -> sender.belongsTo(c)
        && !(sender.kind() == SenderKind.AGENT && c.state() == ConversationState.WAITING),
        new NewMessage(conversationId, sender.kind(), sender.id(), cmid, text, now(), attachment));
    if (appended == null) {
      return async(() -> repeatedOrRefused(sender, conversationId, cmid));
    }
    return appended
        .thenApply(m -> {
          if (!m.repeated()) {
            Conversation after = afterStored(m, originSession);
            if (sender.kind() == SenderKind.AGENT) {
              inactivity.agentSpoke(after);
            } else {
              inactivity.customerSpoke(conversationId);
            }
          }
          return m;
        });
  }

  /** A system message in an open conversation: stored in sequence like any other, shown to both sides. */
  CompletableFuture<StoredMessage> say(long conversationId, String text) {
    CompletableFuture<StoredMessage> appended = appendIfOpen(conversationId, c -> true,
        new NewMessage(conversationId, SenderKind.SYSTEM, null, null, text, now()));
    if (appended == null) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
          "conversation " + conversationId + " is closed"));
    }
    return appended.thenApply(m -> {
      afterStored(m, 0);
      return m;
    });
  }

  /**
   * Appends while holding the conversation's entry, so the append is ordered against an end:
   * either it is queued before the end's barrier (and committed before {@code closed}), or the
   * conversation is no longer open and nothing is appended (null).
   */
  private CompletableFuture<StoredMessage> appendIfOpen(long conversationId, Predicate<Conversation> allowed,
      NewMessage message) {
    AtomicReference<CompletableFuture<StoredMessage>> appended = new AtomicReference<>();
    open.update(conversationId, c -> {
      if (c.state().isOpen() && allowed.test(c)) {
        appended.set(messages.append(message));
      }
      return null;
    });
    return appended.get();
  }

  /** A send to a conversation that is not open for the sender: a repeat of a stored cmid is acknowledged again. */
  private StoredMessage repeatedOrRefused(Participant sender, long conversationId, String cmid) {
    Optional<StoredMessage> earlier = store.messageByCmid(sender.kind(), sender.id(), cmid);
    if (earlier.isPresent()) {
      return earlier.get().asRepeated();
    }
    throw refusal(sender, conversationId);
  }

  /** Why a participant may not act on a conversation: it has ended, or (to them) it does not exist. Blocks. */
  public SangdamException refusal(Participant who, long conversationId) {
    Optional<Conversation> c = store.conversation(conversationId).filter(who::belongsTo);
    if (c.isPresent() && !c.get().state().isOpen()) {
      return new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId + " is closed");
    }
    return SangdamException.notFound("conversation " + conversationId);
  }

  /**
   * Runs blocking work on the bounded executor. When its queue is full, or the database is known to
   * be down, the answer is a failed future ({@code unavailable}), never an exception thrown at the
   * caller: callers are event loops, engines and timers that must get on with their own work.
   */
  <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, blocking);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.UNAVAILABLE,
          "the server cannot take this now; try again"));
    }
  }

  /** The refusal as a failed future, decided on the blocking executor. */
  <T> CompletableFuture<T> refused(Participant who, long conversationId) {
    return async(() -> {
      throw refusal(who, conversationId);
    });
  }

  /** After the commit: the live state learns the seq, and the participants are told. */
  private Conversation afterStored(StoredMessage m, long originSession) {
    // Appends happen only while the conversation is open and before an end's barrier, so it is still live here.
    Conversation c = open.update(m.conversationId(), old -> old.withMessage(m.seq(), m.senderKind() == SenderKind.AGENT))
        .orElseThrow(() -> new IllegalStateException("conversation " + m.conversationId() + " is not live"));
    events.publish(new ConversationEvent.MessageStored(c, m, originSession));
    return c;
  }

  /** Any conversation, open or not, for a caller already on the blocking executor. Blocks. */
  public Optional<Conversation> find(long conversationId) {
    return open.get(conversationId).or(() -> store.conversation(conversationId));
  }

  /** Any conversation, open or not: for a supervisor's scope check. */
  public CompletableFuture<Conversation> lookup(long conversationId) {
    return async(() -> find(conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId)));
  }

  /**
   * The agent ends an assigned conversation, filing it under {@code categoryId} (checked by the
   * caller) with {@code tags}. Completes with the reason announced.
   */
  public CompletableFuture<String> close(long agentId, long conversationId, Long categoryId, List<String> tags,
      long originSession) {
    return end(Participant.agent(agentId), conversationId, c -> c.state() != ConversationState.WAITING
        ? c.withState(ConversationState.CLOSED) : null, "agent", originSession, categoryId, tags);
  }

  /**
   * The customer leaves: a conversation nobody has answered yet (waiting, or assigned before the
   * agent's first message) is abandoned, an answered one closed. Completes with the reason.
   */
  public CompletableFuture<String> leave(long customerId, long conversationId, long originSession) {
    return end(Participant.customer(customerId), conversationId, c -> c.withState(
        c.abandonable() ? ConversationState.ABANDONED : ConversationState.CLOSED),
        null, originSession, null, List.of());
  }

  /**
   * Ends a conversation: the live state changes first, so nothing more is accepted; then every
   * message already accepted is committed (the barrier), then the end is persisted and announced.
   */
  CompletableFuture<String> end(Participant who, long conversationId, UnaryOperator<Conversation> transition,
      String reasonOrNull, long originSession, Long categoryId, List<String> tags) {
    Conversation[] before = new Conversation[1];
    Optional<Conversation> ended = open.update(conversationId, c -> {
      Conversation next = c.state().isOpen() && who.belongsTo(c) ? transition.apply(c) : null;
      before[0] = next == null ? null : c;
      return next;
    });
    if (ended.isEmpty()) {
      return refused(who, conversationId);
    }
    Conversation was = before[0];
    Conversation c = ended.get();
    String reason = reasonOrNull != null ? reasonOrNull
        : c.state() == ConversationState.ABANDONED ? "abandoned" : "customer";
    return messages.barrier().thenApplyAsync(x -> {
      if (categoryId != null || !tags.isEmpty()) {
        store.classify(conversationId, categoryId, tags);
      }
      if (!store.markEnded(conversationId, c.state(), reason, now())) {
        throw SangdamException.notFound("conversation " + conversationId);
      }
      return reason;
    }, blocking).whenComplete((r, e) -> {
      if (e != null) {
        open.update(conversationId, cur -> cur.state() == c.state() ? was.withMessage(cur.lastSeq(), cur.answered()) : null);
        return;
      }
      open.remove(conversationId);
      inactivity.ended(conversationId);
      pendingNotes.remove(conversationId);
      if (was.state() == ConversationState.WAITING) {
        routing.withdraw(was.centerId(), conversationId);
      } else {
        routing.ended(was.centerId(), was.agentId(), conversationId);
      }
      events.publish(new ConversationEvent.Closed(c, reason, originSession));
    });
  }

  /**
   * Puts an open conversation back to waiting in {@code queue}, without an agent and keeping its
   * place by its start time: persisted first, then the live state, then routing. A previous agent
   * is released. A {@code systemText} is said before routing, so the customer reads it before
   * anyone takes over, and the next agent finds it in the transcript.
   */
  CompletableFuture<Conversation> requeue(Conversation c, Queue queue, boolean transfer, String systemText,
      Consumer<Conversation> beforeRouting) {
    return async(() -> {
      Instant at = now();
      if (!store.markWaiting(c.id(), c.agentId(), queue.centerId(), queue.id(), transfer, at)) {
        throw refusal(c.agentId() == null ? Participant.customer(c.customerId()) : Participant.agent(c.agentId()),
            c.id());
      }
      // Only from the agent this started from: an end or another hand-over racing it has the last word.
      return open.update(c.id(), old -> old.state().isOpen() && Objects.equals(old.agentId(), c.agentId())
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
      CompletableFuture<?> said = systemText == null ? CompletableFuture.completedFuture(null) : say(c.id(), systemText);
      return said.handle((m, e) -> {
        open.get(c.id()).filter(x -> x.state() == ConversationState.WAITING)
            .ifPresent(x -> routing.offer(waiting(x, null)));
        return waiting;
      });
    });
  }

  /** Routing's side of conversations: decisions carried out, picks, waiting lists. */
  public Assignments assignments() {
    return assignments;
  }

  // --- what participants tell each other

  /** The open conversation, if {@code who} takes part in it: for what participants tell each other (typing, read). */
  public Optional<Conversation> openFor(Participant who, long conversationId) {
    return open.get(conversationId).filter(c -> c.state().isOpen() && who.belongsTo(c));
  }

  // --- customers and views

  /** A session of the customer connected: their waiting conversations are not abandoned. */
  public void customerConnected(long customerId) {
    inactivity.customerConnected(customerId);
  }

  /**
   * A session of the customer closed; with their last one gone, waiting conversations are abandoned
   * after the grace period. Runs on the blocking executor (it may look up the center's settings).
   */
  public void customerDisconnected(long customerId) {
    async(() -> {
      inactivity.customerDisconnected(customerId);
      return null;
    });
  }

  public List<Conversation> openForCustomer(long customerId) {
    return open.matching(c -> c.customerId() == customerId);
  }

  public List<Conversation> openForAgent(long agentId) {
    return open.matching(c -> c.isAssignedTo(agentId));
  }

  static WaitingConversation waiting(Conversation c, Long preferredAgent) {
    return new WaitingConversation(c.id(), c.centerId(), c.queueId(), c.priority(), c.createdAt(), c.queuedAt(),
        preferredAgent);
  }

  /** Millisecond precision, as stored, so a live message and its replay carry the same time. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
