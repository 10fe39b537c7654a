package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a bot does to the conversation it owns, through chat's one mutation path: its messages stored in the
 * conversation's gapless sequence (and so acked, replayed and delivered to channels as any other), its state kept,
 * and the conversation handed to a queue or ended. Every call acts only while the conversation is in {@code BOT}.
 */
public final class BotTurns {
  /** Messages read after the last answered one: far more than a customer writes while a node is taken over. */
  private static final int UNANSWERED_READ = 100;

  private final LiveConversations live;
  private final ChatStore store;
  private final Transcript transcript;
  private final Requeue requeue;
  private final Closing closing;
  private final ConversationRecords records;
  private final BlockingWork work;
  private final Clock clock;

  public BotTurns(LiveConversations live, ChatStore store, Transcript transcript, Requeue requeue, Closing closing,
      ConversationRecords records, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.transcript = requireNonNull(transcript, "transcript");
    this.requeue = requireNonNull(requeue, "requeue");
    this.closing = requireNonNull(closing, "closing");
    this.records = requireNonNull(records, "records");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /** One message of the bot's, with the buttons under it (none: empty). */
  public record Said(String text, List<Choice> buttons) {
    public Said {
      requireNonNull(text, "text");
      buttons = List.copyOf(buttons);
    }
  }

  /** The conversation as this node holds it, while its bot has it. */
  public Optional<Conversation> withBot(long conversationId) {
    return live.get(conversationId).filter(c -> c.state() == ConversationState.BOT);
  }

  /** Blocks. The conversation as this node holds it, else as stored; empty when there is none. */
  public Optional<Conversation> conversation(long conversationId) {
    return live.get(conversationId).or(() -> store.conversation(conversationId));
  }

  /** Blocks. The text the customer opened the conversation with (its message 1), if they opened with one. */
  public Optional<StoredMessage> opening(long conversationId) {
    return store.messagesAfter(conversationId, 0, 1).stream()
        .filter(m -> m.seq() == 1 && m.senderKind() == SenderKind.CUSTOMER).findFirst();
  }

  /** Blocks. The channel the customer writes from ({@code web} for the widget). */
  public String customerChannel(long customerId) {
    return store.customerChannel(customerId);
  }

  /** Blocks. Where the conversation stands in its scenario; empty when no bot has it. */
  public Optional<BotStanding> standing(long conversationId) {
    return store.botStanding(conversationId);
  }

  /**
   * Blocks. The buttons under the bot's latest message (of the conversation's last 20); empty when it has none:
   * buttons of an earlier message are no longer offered (a form's question after a menu), so a number or a label
   * typed then is the customer's text.
   */
  public List<Choice> lastButtons(long conversationId) {
    List<StoredMessage> recent = store.lastMessages(conversationId, 20);
    for (int i = recent.size() - 1; i >= 0; i--) {
      if (recent.get(i).senderKind() == SenderKind.BOT) {
        return recent.get(i).buttons();
      }
    }
    return List.of();
  }

  /**
   * Blocks. Keeps the bot's state after its turn on the customer's message {@code answeredSeq} (the greeting: their
   * last before it), with what the turn counts in the bot statistics; false when the conversation left the bot
   * meanwhile or that message was answered already (and then nothing is counted).
   */
  public boolean keep(long conversationId, String stateJson, long answeredSeq, BotTally tally) {
    return store.saveBotState(conversationId, stateJson, answeredSeq, tally);
  }

  /**
   * Blocks. Counts a last turn's statistics (one that hands off or ends the conversation) on the customer's message
   * {@code answeredSeq}, once however often the turn runs: before the hand-off or the end, which count the
   * conversation itself. False when the conversation left the bot meanwhile.
   */
  public boolean count(long conversationId, long answeredSeq, BotTally tally) {
    return tally.isEmpty() || store.countBotTurn(conversationId, answeredSeq, tally);
  }

  /** Blocks. The seq of the customer's last message (0: none), which a greeting counts as said before it. */
  public long lastCustomerSeq(long conversationId) {
    return store.lastCustomerSeq(conversationId);
  }

  /**
   * Blocks. The customer's messages after {@code answeredSeq}, in order, at most {@value #UNANSWERED_READ} messages
   * of the conversation read: those a bot's turn is still owed for after a crash, a restart or an owner change.
   */
  public List<StoredMessage> unanswered(long conversationId, long answeredSeq) {
    return store.messagesAfter(conversationId, answeredSeq, UNANSWERED_READ).stream()
        .filter(m -> m.senderKind() == SenderKind.CUSTOMER).toList();
  }

  /**
   * Stores the bot's messages in order, each committed and told to the customer (and the channel) before the next
   * is appended. Completes once the last is; fails {@code conversation_closed} when the conversation left the bot.
   */
  public CompletableFuture<Void> say(long conversationId, String botName, List<Said> messages) {
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Said m : messages) {
      chain = chain.thenCompose(x -> {
        CompletableFuture<StoredMessage> appended = transcript.appendIfOpen(conversationId,
            c -> c.state() == ConversationState.BOT, new NewMessage(conversationId, SenderKind.BOT, null, null,
                m.text(), StoredTime.now(clock), null, botName, m.buttons(), null, null));
        if (appended == null) {
          return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
              "conversation " + conversationId + " is no longer with its bot"));
        }
        return appended.thenCompose(stored -> transcript.stored(stored, 0)).thenApply(c -> null);
      });
    }
    return chain;
  }

  /** {@code BOT -> WAITING} in {@code queue} (any center of the tenant), with what the bot collected. */
  public CompletableFuture<Conversation> handOff(long conversationId, Queue queue, List<CollectedValue> fields) {
    Optional<Conversation> c = withBot(conversationId);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
          "conversation " + conversationId + " is no longer with its bot"));
    }
    return requeue.handOff(c.get(), queue, fields);
  }

  /** The bot ends it: closed with reason {@code bot}, never offered to an agent. */
  public CompletableFuture<String> end(long conversationId) {
    Optional<Conversation> c = withBot(conversationId);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
          "conversation " + conversationId + " is no longer with its bot"));
    }
    return closing.endByBot(c.get().customerId(), conversationId);
  }

  /**
   * The bot leaves an offline inquiry for {@code queue}, as a customer does at a closed center's door, then ends
   * the conversation (reason {@code bot}). Completes with the inquiry's id.
   */
  public CompletableFuture<Long> leaveInquiry(long conversationId, Queue queue, String contact, String text) {
    Optional<Conversation> c = withBot(conversationId);
    if (c.isEmpty()) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED,
          "conversation " + conversationId + " is no longer with its bot"));
    }
    return records.leaveInquiry(c.get(), queue, contact, text)
        .thenCompose(id -> closing.endByBot(c.get().customerId(), conversationId).thenApply(r -> id));
  }
}
