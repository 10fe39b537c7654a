package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Assigner;
import io.sangdam.routing.Routing;
import io.sangdam.routing.WaitingConversation;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every change to a conversation goes through here: persist, then update the live state, then
 * notify. The open conversations are held in memory (rebuilt from the database at start), so that
 * checking who may send to what costs no query. Methods return futures and never block the caller;
 * database work runs on {@code blocking}.
 */
public final class ConversationService implements Assigner {
  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  /** Messages replayed per query on resume. */
  private static final int REPLAY_PAGE = 500;

  private final ChatStore store;
  private final MessageLog messages;
  private final Routing routing;
  private final ConversationNotifier notifier;
  private final Executor blocking;
  private final Clock clock;
  private final Map<Long, Conversation> open = new ConcurrentHashMap<>();

  public ConversationService(ChatStore store, MessageLog messages, Routing routing, ConversationNotifier notifier,
      Executor blocking, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.messages = requireNonNull(messages, "messages");
    this.routing = requireNonNull(routing, "routing");
    this.notifier = requireNonNull(notifier, "notifier");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Loads the open conversations and hands the waiting ones and the agents' loads to routing. Blocks; call once at start. */
  public void recover() {
    routing.start(this);
    for (Conversation c : store.openConversations()) {
      open.put(c.id(), c);
      if (c.state() == ConversationState.WAITING) {
        routing.offer(waiting(c));
      } else if (c.agentId() != null) {
        routing.restoreLoad(c.centerId(), c.agentId(), c.id());
      }
    }
    log.info("recovered {} open conversations", open.size());
  }

  /**
   * Opens a conversation in a queue. An opening {@code text} becomes its first message; the
   * starting session learns of it from the returned conversation's {@code lastSeq}, the
   * customer's other sessions by a {@code message}.
   */
  public CompletableFuture<Conversation> start(long tenantId, long centerId, long queueId, long customerId,
      String customerName, Optional<String> text, long originSession) {
    return CompletableFuture.supplyAsync(() -> {
      Conversation c = store.insertConversation(tenantId, centerId, queueId, customerId, customerName, 0, now());
      open.put(c.id(), c);
      return c;
    }, blocking).thenCompose(c -> {
      CompletableFuture<Conversation> ready = text.isEmpty()
          ? CompletableFuture.completedFuture(c)
          : messages.append(new NewMessage(c.id(), SenderKind.CUSTOMER, customerId, null, text.get(), now()))
              .thenApply(m -> afterStored(m, originSession));
      return ready.whenComplete((x, e) -> routing.offer(waiting(c)));
    });
  }

  /**
   * Appends a message from a participant. Completes with the stored message (the original one
   * when the cmid was seen before) once it is committed; the other participants are told then.
   */
  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      long originSession) {
    Conversation c = open.get(conversationId);
    if (c == null || !c.state().isOpen() || !sender.belongsTo(c)) {
      return CompletableFuture.supplyAsync(() -> repeatedOrRefused(sender, conversationId, cmid), blocking);
    }
    if (sender.kind() == SenderKind.AGENT && c.state() == ConversationState.WAITING) {
      return CompletableFuture.failedFuture(SangdamException.notFound("conversation " + conversationId));
    }
    return messages.append(new NewMessage(conversationId, sender.kind(), sender.id(), cmid, text, now()))
        .thenApply(m -> {
          if (!m.repeated()) {
            afterStored(m, originSession);
          }
          return m;
        });
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
  private SangdamException refusal(Participant who, long conversationId) {
    Optional<Conversation> c = store.conversation(conversationId).filter(who::belongsTo);
    if (c.isPresent() && !c.get().state().isOpen()) {
      return new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId + " is closed");
    }
    return SangdamException.notFound("conversation " + conversationId);
  }

  private Conversation afterStored(StoredMessage m, long originSession) {
    Conversation c = open.computeIfPresent(m.conversationId(), (id, old) -> old.withLastSeq(m.seq()));
    if (c == null) {
      c = store.conversation(m.conversationId()).orElseThrow();
    }
    notifier.messageStored(c, m, originSession);
    return c;
  }

  /** Messages after {@code afterSeq} of a conversation the participant belongs to (open or not), and its last seq. */
  public CompletableFuture<Replay> replay(Participant who, long conversationId, long afterSeq) {
    return CompletableFuture.supplyAsync(() -> {
      Conversation c = Optional.ofNullable(open.get(conversationId)).or(() -> store.conversation(conversationId))
          .filter(who::belongsTo)
          .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
      List<StoredMessage> all = new ArrayList<>();
      long after = afterSeq;
      while (true) {
        List<StoredMessage> page = store.messagesAfter(c.id(), after, REPLAY_PAGE);
        all.addAll(page);
        if (page.size() < REPLAY_PAGE) {
          return new Replay(c, all);
        }
        after = page.get(page.size() - 1).seq();
      }
    }, blocking);
  }

  /** The agent ends an assigned conversation. Completes with the reason announced. */
  public CompletableFuture<String> close(long agentId, long conversationId, long originSession) {
    return end(Participant.agent(agentId), conversationId, c -> c.state() != ConversationState.WAITING
        ? c.withState(ConversationState.CLOSED) : null, "agent", originSession);
  }

  /** The customer leaves: a waiting conversation is abandoned, an assigned one closed. Completes with the reason. */
  public CompletableFuture<String> leave(long customerId, long conversationId, long originSession) {
    return end(Participant.customer(customerId), conversationId, c -> c.withState(
        c.state() == ConversationState.WAITING ? ConversationState.ABANDONED : ConversationState.CLOSED),
        null, originSession);
  }

  /**
   * Ends a conversation: the live state changes first, so nothing more is accepted; then every
   * message already accepted is committed (the barrier), then the end is persisted and announced.
   */
  private CompletableFuture<String> end(Participant who, long conversationId, UnaryOperator<Conversation> transition,
      String reasonOrNull, long originSession) {
    Conversation[] before = new Conversation[1];
    Conversation ended = open.computeIfPresent(conversationId, (id, c) -> {
      Conversation next = c.state().isOpen() && who.belongsTo(c) ? transition.apply(c) : null;
      if (next == null) {
        return c;
      }
      before[0] = c;
      return next;
    });
    if (before[0] == null) {
      return CompletableFuture.supplyAsync(() -> {
        throw refusal(who, conversationId);
      }, blocking);
    }
    Conversation was = before[0];
    String reason = reasonOrNull != null ? reasonOrNull
        : ended.state() == ConversationState.ABANDONED ? "abandoned" : "customer";
    return messages.barrier().thenApplyAsync(x -> {
      if (!store.markEnded(conversationId, ended.state(), reason, now())) {
        throw SangdamException.notFound("conversation " + conversationId);
      }
      return ended;
    }, blocking).whenComplete((c, e) -> {
      if (e != null) {
        open.replace(conversationId, ended, was);
        return;
      }
      open.remove(conversationId);
      if (was.state() == ConversationState.WAITING) {
        routing.withdraw(was.centerId(), conversationId);
      } else if (was.agentId() != null) {
        routing.released(was.centerId(), was.agentId(), conversationId);
      }
      notifier.closed(c, reason, originSession);
    }).thenApply(c -> reason);
  }

  /** Carries out a routing decision: persist, then update the live state, then tell both sides. */
  @Override
  public void assign(long conversationId, long agentId) {
    Conversation current = open.get(conversationId);
    if (current == null || current.state() != ConversationState.WAITING) {
      if (current != null) {
        routing.released(current.centerId(), agentId, conversationId);
      }
      return;
    }
    CompletableFuture.supplyAsync(() -> store.markAssigned(conversationId, agentId, now()), blocking)
        .whenComplete((assigned, e) -> {
          if (e != null) {
            log.warn("could not assign conversation {} to agent {}; it waits again", conversationId, agentId, e);
            routing.released(current.centerId(), agentId, conversationId);
            routing.offer(waiting(current));
            return;
          }
          Conversation c = assigned ? open.computeIfPresent(conversationId,
              (id, old) -> old.state() == ConversationState.WAITING ? old.withAgent(agentId, ConversationState.ASSIGNED)
                  : old) : null;
          if (c == null || !c.isAssignedTo(agentId)) {
            routing.released(current.centerId(), agentId, conversationId);
            return;
          }
          notifier.assigned(c);
        });
  }

  public Optional<Conversation> openConversation(long id) {
    return Optional.ofNullable(open.get(id));
  }

  public List<Conversation> openForCustomer(long customerId) {
    return openMatching(c -> c.customerId() == customerId);
  }

  public List<Conversation> openForAgent(long agentId) {
    return openMatching(c -> c.isAssignedTo(agentId));
  }

  private List<Conversation> openMatching(java.util.function.Predicate<Conversation> filter) {
    return open.values().stream().filter(filter).sorted(Comparator.comparing(Conversation::createdAt)).toList();
  }

  private static WaitingConversation waiting(Conversation c) {
    return new WaitingConversation(c.id(), c.centerId(), c.queueId(), c.priority(), c.createdAt());
  }

  /** Millisecond precision, as stored, so a live message and its replay carry the same time. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
