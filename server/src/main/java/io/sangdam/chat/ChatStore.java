package io.sangdam.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What conversations need persisted, besides the message log. Implemented in {@code store};
 * methods block. Each change of who carries a conversation also keeps the assignment history
 * ({@code conversation_assignment}) in the same transaction.
 */
public interface ChatStore {
  /** A new waiting conversation without an opening message. */
  default Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId,
      String customerName, int priority, Instant at, String startKey) {
    return insertConversation(tenantId, centerId, queueId, customerId, customerName, priority, at, startKey, null);
  }

  /**
   * A new waiting conversation; {@code startKey} (null: none) is the key of the start that opened it,
   * at most one conversation per key and tenant (a second fails as the database being unavailable).
   * {@code first} (null: none) is stored in the same transaction as the conversation's message 1, at
   * {@code at}; the conversation returned has {@code lastSeq} 0 all the same, for its live state to learn
   * the message as any other ({@code Transcript.stored}). A channel's customer has at most one open
   * conversation: a second, or a {@code first} whose cmid the customer's stored message has already,
   * fails with {@code conflict} (another node opened theirs a moment before), and nothing is stored.
   */
  default Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId,
      String customerName, int priority, Instant at, String startKey, FirstMessage first) {
    return insertConversation(tenantId, centerId, queueId, customerId, customerName, priority, at, startKey, first,
        null);
  }

  /**
   * As above; with {@code bot} (null: none) the conversation opens in {@code BOT}, owned by that scenario at that
   * version (its state is written by the bot's first turn), and no queue sees it until the bot hands it off.
   */
  Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId, String customerName,
      int priority, Instant at, String startKey, FirstMessage first, BotStart bot);

  /** The channel a customer writes from ({@code web} for the widget's): it picks the bot that greets them. */
  String customerChannel(long customerId);

  /** Where a conversation in {@code BOT} stands; empty when it is not with a bot. */
  Optional<BotStanding> botStanding(long conversationId);

  /**
   * Keeps the bot's state after its turn on the customer's message {@code answeredSeq} (for the greeting: their last
   * message before it, 0 when none) and adds what the turn counts to the bot statistics, in one transaction; false
   * when the conversation is no longer with the bot, or a turn on that message or a later one was kept already
   * (another node answered it), and then nothing is written or counted.
   */
  boolean saveBotState(long conversationId, String stateJson, long answeredSeq, BotTally tally);

  /** The seq of the customer's last message in the conversation; 0 when they wrote none. */
  long lastCustomerSeq(long conversationId);

  /**
   * Adds what a bot's last turn (one that hands off or ends), on the customer's message {@code answeredSeq}, counts to
   * the bot statistics, unless a last turn on that message or a later one was counted already (the turn runs again
   * after a crash before its hand-off or end); false (nothing counted) when the conversation is no longer with the
   * bot.
   */
  boolean countBotTurn(long conversationId, long answeredSeq, BotTally tally);

  /**
   * {@code BOT} to {@code WAITING} in a queue, without an agent, from {@code at}: its place in line and waiting
   * time count from then ({@code handed_off_at}, {@code queued_at}); {@code fields} are kept for the agent. False
   * when it was no longer with the bot.
   */
  boolean markHandedOff(long conversationId, long centerId, long queueId, List<CollectedValue> fields, Instant at);

  /** What a bot collected in the conversation, as staff see it (empty when none). */
  List<CollectedValue> collectedValues(long conversationId);

  /** The conversation a start under {@code startKey} opened, open or not. */
  Optional<Conversation> conversationStartedWith(long tenantId, String startKey);

  /** WAITING to ASSIGNED; false when the conversation was no longer waiting. {@code how}: ROUTED, PICKED. */
  boolean markAssigned(long conversationId, long agentId, String how, Instant at);

  /** Files a conversation under a category (or none) and adds free-form tags. */
  void classify(long conversationId, Long categoryId, List<String> tags);

  /** Ends an open conversation; false when it was not open. */
  boolean markEnded(long conversationId, ConversationState state, String reason, Instant at);

  /**
   * Puts an open conversation back to waiting in a queue (its own, or another by transfer or
   * overflow), without an agent; false when it was not open or not with {@code expectedAgentId}.
   */
  boolean markWaiting(long conversationId, Long expectedAgentId, long centerId, long queueId, boolean transfer,
      Instant at);

  /** Hands an assigned conversation from one agent straight to another; false when {@code from} no longer had it. */
  boolean markHandedOver(long conversationId, long fromAgentId, long toAgentId, Instant at);

  /** ASSIGNED to HOLD or back; false when the agent no longer had it in the other state. */
  boolean markHold(long conversationId, long agentId, boolean hold);

  /**
   * Stores an internal note (kind NOTE, TRANSFER, WHISPER): beside the transcript, never shown to
   * the customer. A cmid the author used before answers the note stored then, marked repeated.
   */
  Note insertNote(long conversationId, long authorId, String kind, String cmid, String body, Instant at);

  /** The note an author stored with {@code cmid}, marked repeated. */
  Optional<Note> noteByCmid(long authorId, String cmid);

  /** A conversation's notes, oldest first. */
  List<Note> notes(long conversationId);

  /** Stores a customer's rating of a closed conversation that had an agent; false if it is not such, or rated. */
  boolean rate(long conversationId, long customerId, int score, String comment);

  /** The rating given, if any. */
  Optional<Integer> rating(long conversationId);

  /** The agent of the customer's most recent conversation before this one, if any. */
  Optional<Long> previousAgent(long customerId, long conversationId);

  int customerPriority(long customerId);

  /** The customer's name, contact, external id and whether a channel said they are under 14. */
  Optional<CustomerRecord> customer(long customerId);

  /**
   * The customer's conversations before {@code beforeId}, newest first, at most {@code limit}; with those of
   * every customer of the tenant known by the same external id (a channel's customer linked to it).
   */
  List<Conversation> customerConversations(long customerId, long beforeId, int limit);

  /** {@code under14}: null when no channel said. */
  record CustomerRecord(long id, String name, String contact, String externalId, Boolean under14) {}

  /** false when the customer is not the tenant's. */
  boolean updateCustomerPriority(long tenantId, long customerId, int priority);

  /**
   * Stores an offline inquiry; one with a {@code conversationId} (its bot left it) is stored once: asked again, the
   * id of the one stored.
   */
  long insertInquiry(long tenantId, long centerId, long queueId, long customerId, Long conversationId, String contact,
      String text, Instant at);

  /** A center's inquiries not yet handled, oldest first. */
  List<OfflineInquiry> pendingInquiries(long centerId);

  /** false when the inquiry is not the center's or was already handled. */
  boolean markInquiryHandled(long centerId, long inquiryId, long userId, Instant at);

  /** Every open conversation, with its last seq: the live state at start. */
  List<Conversation> openConversations();

  /** The open conversations of one center, with their last seq: its live state, when this node takes it up. */
  List<Conversation> openConversations(long centerId);

  Optional<Conversation> conversation(long id);

  /** Messages with {@code seq > afterSeq}, in order, at most {@code limit}. */
  List<StoredMessage> messagesAfter(long conversationId, long afterSeq, int limit);

  Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid);

  /** The last {@code limit} messages of a conversation, in order. */
  List<StoredMessage> lastMessages(long conversationId, int limit);
}
