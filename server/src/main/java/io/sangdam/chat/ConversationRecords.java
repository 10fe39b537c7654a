package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * What is kept beside the conversations, apart from their lifecycle: internal notes and
 * whispers, ratings, a customer's history and priority, and inquiries left out of hours; and the
 * read side: replays of transcripts.
 */
public final class ConversationRecords {
  /**
   * Messages per page of a resume: a page is read only when the client has taken the one before,
   * so this bounds what one resume holds (4,000 characters a message at most).
   */
  static final int REPLAY_PAGE = 100;

  private final LiveConversations live;
  private final ChatStore store;
  private final ConversationLookup lookup;
  private final ConversationEvents events;
  private final BlockingWork work;
  private final Clock clock;

  public ConversationRecords(LiveConversations live, ChatStore store, ConversationLookup lookup,
      ConversationEvents events, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.lookup = requireNonNull(lookup, "lookup");
    this.events = requireNonNull(events, "events");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * A page of messages after {@code afterSeq} of a conversation the participant belongs to (open or
   * not). Every page of a resume is asked for here, not only the first, so access is checked again
   * on each: a participant who lost the conversation meanwhile gets no further page.
   */
  public CompletableFuture<Replay> replay(Participant who, long conversationId, long afterSeq) {
    return replay(conversationId, afterSeq, who::belongsTo);
  }

  /** The same for a supervisor whose scope the caller has checked (again for each page). */
  public CompletableFuture<Replay> replayForSupervisor(long conversationId, long afterSeq) {
    return replay(conversationId, afterSeq, c -> true);
  }

  private CompletableFuture<Replay> replay(long conversationId, long afterSeq, Predicate<Conversation> sees) {
    return work.async(() -> page(lookup.find(conversationId).filter(sees)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId)), afterSeq));
  }

  private Replay page(Conversation c, long afterSeq) {
    List<StoredMessage> page = store.messagesAfter(c.id(), afterSeq, REPLAY_PAGE);
    return new Replay(c, page, page.size() == REPLAY_PAGE);
  }

  /** A supervisor's note to the assigned agent (and other supervisors watching); never to the customer. */
  public CompletableFuture<Note> whisper(long supervisorId, long conversationId, String cmid, String text,
      long originSession) {
    Optional<Conversation> c = live.get(conversationId).filter(x -> x.state().isOpen() && x.agentId() != null);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONFLICT,
          "conversation " + conversationId + " has no agent to whisper to"));
    }
    return work.async(() -> store.insertNote(conversationId, supervisorId, "WHISPER", cmid, text, now()))
        .thenCompose(n -> told(c.get(), n, originSession));
  }

  /** Sets a customer's own priority (VIP), used from their next conversation on. Blocks. */
  public void setCustomerPriority(long tenantId, long customerId, int priority) {
    if (!store.updateCustomerPriority(tenantId, customerId, priority)) {
      throw SangdamException.notFound("customer " + customerId);
    }
  }

  /** An internal note by the assigned agent; never reaches the customer. A repeated cmid answers the first note. */
  public CompletableFuture<Note> note(long agentId, long conversationId, String cmid, String text,
      long originSession) {
    Optional<Conversation> c = live.get(conversationId).filter(x -> x.isAssignedTo(agentId) && x.state().isOpen());
    if (c.isEmpty()) {
      // A retry of a note stored before the conversation ended is answered like the first time.
      return work.async(() -> store.noteByCmid(agentId, cmid)
          .orElseThrow(() -> lookup.refusal(Participant.agent(agentId), conversationId)));
    }
    return work.async(() -> store.insertNote(conversationId, agentId, "NOTE", cmid, text, now()))
        .thenCompose(n -> told(c.get(), n, originSession));
  }

  /** A new note, once the staff who see the conversation were told (its writer is answered after them); a repeat as it is. */
  private CompletableFuture<Note> told(Conversation c, Note n, long originSession) {
    return n.repeated() ? CompletableFuture.completedFuture(n)
        : events.publish(new ConversationEvent.Noted(c, n, originSession)).thenApply(delivered -> n);
  }

  /** The notes of a conversation the agent carries (or carried). */
  public CompletableFuture<List<Note>> notes(long agentId, long conversationId) {
    return work.async(() -> {
      live.get(conversationId).or(() -> store.conversation(conversationId))
          .filter(c -> c.isAssignedTo(agentId))
          .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
      return store.notes(conversationId);
    });
  }

  /**
   * The customer's rating (CSAT) of a closed conversation that had an agent, once. The agent who
   * carried it is told.
   */
  public CompletableFuture<Void> rate(long customerId, long conversationId, int score, Optional<String> comment) {
    return work.async(() -> {
      Conversation c = store.conversation(conversationId).filter(x -> x.customerId() == customerId)
          .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
      if (c.state() != ConversationState.CLOSED || c.agentId() == null) {
        throw new SangdamException(ErrorCode.CONFLICT, "only a conversation closed after an agent took it can be rated");
      }
      if (!store.rate(conversationId, customerId, score, comment.orElse(null))) {
        throw new SangdamException(ErrorCode.ALREADY_RATED, "conversation " + conversationId + " was already rated");
      }
      return new ConversationEvent.Rated(c, score, comment.orElse(null));
    }).thenCompose(rated -> events.publish(rated));
  }

  /**
   * A customer's record and earlier conversations with their transcripts, for the agent now carrying
   * one of theirs; {@code truncated} when older messages (and conversations) were left out for size;
   * {@code botFields}: what a bot collected in this conversation before it handed it off (empty when none).
   */
  public record CustomerHistory(ChatStore.CustomerRecord customer, List<Replay> earlier, boolean truncated,
      List<CollectedValue> botFields) {
    public CustomerHistory(ChatStore.CustomerRecord customer, List<Replay> earlier, boolean truncated) {
      this(customer, earlier, truncated, List.of());
    }
  }

  /** Earlier conversations shown to an agent: the latest ten, each with its latest 200 messages. */
  private static final int HISTORY_CONVERSATIONS = 10;
  private static final int HISTORY_MESSAGES = 200;
  /**
   * What the transcripts of a {@code history} may weigh as JSON (by {@link HistorySize}), newest
   * messages first. The answer is one frame: ten conversations of 200 messages of 4,000 characters
   * would be over 30 MB, built in memory several times over, and more than any connection's output
   * budget ({@code limits.wsOutboundBytes}, 256 KiB at the least) takes. This leaves it room.
   */
  static final long HISTORY_BYTES = 128 * 1024;

  public CompletableFuture<CustomerHistory> history(long agentId, long conversationId) {
    return work.async(() -> {
      Conversation c = live.get(conversationId).or(() -> store.conversation(conversationId))
          .filter(x -> x.isAssignedTo(agentId))
          .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
      List<Replay> earlier = new ArrayList<>();
      long room = HISTORY_BYTES;
      for (Conversation past : store.customerConversations(c.customerId(), c.id(), HISTORY_CONVERSATIONS)) {
        List<StoredMessage> messages = store.lastMessages(past.id(), HISTORY_MESSAGES);
        int from = messages.size();
        for (; from > 0; from--) {
          long size = HistorySize.of(messages.get(from - 1));
          if (size > room) {
            break;
          }
          room -= size;
        }
        earlier.add(new Replay(past, messages.subList(from, messages.size()), false));
        if (from > 0) {
          // Full: the older messages of this one and every older conversation are left out.
          return new CustomerHistory(store.customer(c.customerId()).orElseThrow(), earlier, true,
              store.collectedValues(c.id()));
        }
      }
      return new CustomerHistory(store.customer(c.customerId()).orElseThrow(), earlier, false,
          store.collectedValues(c.id()));
    });
  }

  /** Stores what a customer left while the center was closed. Completes with its id. */
  public CompletableFuture<Long> leaveInquiry(long tenantId, Queue queue, long customerId, String contact,
      String text) {
    return work.async(() -> store.insertInquiry(tenantId, queue.centerId(), queue.id(), customerId, null,
        contact, text, now()));
  }

  /** Stores the inquiry a conversation's bot left, once however often asked. Completes with its id. */
  public CompletableFuture<Long> leaveInquiry(Conversation c, Queue queue, String contact, String text) {
    return work.async(() -> store.insertInquiry(c.tenantId(), queue.centerId(), queue.id(), c.customerId(), c.id(),
        contact, text, now()));
  }

  /** Blocks. */
  public List<OfflineInquiry> pendingInquiries(long centerId) {
    return store.pendingInquiries(centerId);
  }

  /** Blocks. */
  public void markInquiryHandled(long centerId, long inquiryId, long userId) {
    if (!store.markInquiryHandled(centerId, inquiryId, userId, now())) {
      throw new SangdamException(ErrorCode.CONFLICT, "inquiry " + inquiryId + " is not open in this center");
    }
  }

  private Instant now() {
    return StoredTime.now(clock);
  }
}
