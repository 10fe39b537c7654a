package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The messages of open conversations: appended to the message log in order against an end, and
 * once committed, the live state learns the seq and the event is published. Nothing is published
 * before the commit.
 */
public final class Transcript {
  private final LiveConversations live;
  private final MessageLog messages;
  private final ConversationEvents events;
  private final Clock clock;

  public Transcript(LiveConversations live, MessageLog messages, ConversationEvents events, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.messages = requireNonNull(messages, "messages");
    this.events = requireNonNull(events, "events");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * A system message in an open conversation: stored in sequence like any other, with its notice's key and
   * params beside the tenant's wording, shown to both sides.
   */
  CompletableFuture<StoredMessage> say(long conversationId, Notice notice) {
    CompletableFuture<StoredMessage> appended = appendIfOpen(conversationId, c -> true, new NewMessage(conversationId,
        SenderKind.SYSTEM, null, null, notice.text(), StoredTime.now(clock), null, null, List.of(), null, notice));
    if (appended == null) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
          "conversation " + conversationId + " is closed"));
    }
    return appended.thenCompose(m -> stored(m, 0).thenApply(delivered -> m));
  }

  /** The conversation as this node's live state has it. */
  Optional<Conversation> live(long conversationId) {
    return live.get(conversationId);
  }

  /**
   * Appends while holding the conversation's entry, so the append is ordered against an end:
   * either it is queued before the end's barrier (and committed before {@code closed}), or the
   * conversation is no longer open and nothing is appended (null).
   */
  CompletableFuture<StoredMessage> appendIfOpen(long conversationId, Predicate<Conversation> allowed,
      NewMessage message) {
    AtomicReference<CompletableFuture<StoredMessage>> appended = new AtomicReference<>();
    live.update(conversationId, c -> {
      if (c.state().isOpen() && allowed.test(c)) {
        appended.set(messages.append(message));
      }
      return null;
    });
    return appended.get();
  }

  /**
   * After the commit: the live state learns the seq, and the participants are told. Completes with
   * the conversation as it is now once they have been: the sender's ack then follows every push
   * of the conversation before it.
   */
  CompletableFuture<Conversation> stored(StoredMessage m, long originSession) {
    boolean byAgent = m.senderKind() == SenderKind.AGENT;
    // Appends happen only while the conversation is open and before an end's barrier, so on one node it is
    // still live here. With many nodes it may have moved to another owner while the message was committed:
    // the message is stored all the same, and told as this node's copy of the conversation has it.
    Optional<Conversation> now = live.update(m.conversationId(), old -> old.withMessage(m.seq(), byAgent))
        .or(() -> live.copyOf(m.conversationId()).map(copy -> copy.withMessage(m.seq(), byAgent)));
    if (now.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.UNAVAILABLE, "conversation "
          + m.conversationId() + " moved to another server while the message was stored; send it again"));
    }
    Conversation c = now.get();
    return events.publish(new ConversationEvent.MessageStored(c, m, originSession)).thenApply(delivered -> c);
  }
}
