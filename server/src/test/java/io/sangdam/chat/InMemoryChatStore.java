package io.sangdam.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The chat tables as unit tests need them: conversations and notes in memory; the rest is empty. */
final class InMemoryChatStore implements ChatStore {
  final Map<Long, Conversation> conversations = new ConcurrentHashMap<>();
  private final Map<String, Long> startKeys = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(100);
  private final Map<Long, BotStanding> standings = new ConcurrentHashMap<>();
  private final Map<Long, List<CollectedValue>> collected = new ConcurrentHashMap<>();
  /** When set, the next assignment fails with it, as an unreachable database would. */
  volatile RuntimeException assignFailure;
  /** When set, runs once just after the next assignment is stored, before its caller hears of it. */
  volatile Runnable afterAssigned;
  /** When set, runs once when a start next asks for the customer's previous agent (its conversation is live then). */
  volatile Runnable whenPreviousAgentAsked;

  @Override
  public Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId,
      String customerName, int priority, Instant at, String startKey, FirstMessage first, BotStart bot) {
    // The opening message is not kept: the message tables are empty here.
    Conversation c = new Conversation(ids.incrementAndGet(), tenantId, centerId, queueId, customerId, customerName,
        null, bot == null ? ConversationState.WAITING : ConversationState.BOT, priority, at, at, null, 0, false, "web");
    if (bot != null) {
      standings.put(c.id(), new BotStanding(bot.scenario(), bot.version(), null, 0));
    }
    conversations.put(c.id(), c);
    if (startKey != null) {
      startKeys.put(tenantId + "/" + startKey, c.id());
    }
    return c;
  }

  @Override
  public String customerChannel(long customerId) {
    return Conversation.WEB;
  }

  @Override
  public Optional<BotStanding> botStanding(long conversationId) {
    return Optional.ofNullable(conversations.get(conversationId)).filter(c -> c.state() == ConversationState.BOT)
        .map(c -> standings.get(conversationId));
  }

  /** Keeps no statistics (they are the database's roll-ups), so a turn's tally is only checked for its bot. */
  @Override
  public boolean saveBotState(long conversationId, String stateJson, long answeredSeq, BotTally tally) {
    return botStanding(conversationId).filter(b -> b.state() == null || b.answered() < answeredSeq)
        .map(b -> standings.put(conversationId, new BotStanding(b.scenario(), b.version(), stateJson, answeredSeq)))
        .isPresent();
  }

  @Override
  public long lastCustomerSeq(long conversationId) {
    return 0; // the message tables are empty here
  }

  @Override
  public boolean countBotTurn(long conversationId, long answeredSeq, BotTally tally) {
    return botStanding(conversationId).isPresent();
  }

  @Override
  public boolean markHandedOff(long conversationId, long centerId, long queueId, List<CollectedValue> fields,
      Instant at) {
    Conversation c = conversations.get(conversationId);
    if (c == null || c.state() != ConversationState.BOT) {
      return false;
    }
    conversations.put(conversationId, c.handedOff(centerId, queueId, c.priority(), at));
    collected.put(conversationId, List.copyOf(fields));
    return true;
  }

  @Override
  public List<CollectedValue> collectedValues(long conversationId) {
    return collected.getOrDefault(conversationId, List.of());
  }

  @Override
  public Optional<Conversation> conversationStartedWith(long tenantId, String startKey) {
    return Optional.ofNullable(startKeys.get(tenantId + "/" + startKey)).map(conversations::get);
  }

  @Override
  public boolean markAssigned(long conversationId, long agentId, String how, Instant at) {
    RuntimeException failure = assignFailure;
    if (failure != null) {
      assignFailure = null;
      throw failure;
    }
    boolean assigned = conversations.computeIfPresent(conversationId, (id, c) -> c.state() == ConversationState.WAITING
        ? c.assignedTo(agentId, at) : c).isAssignedTo(agentId);
    Runnable after = afterAssigned;
    afterAssigned = null;
    if (after != null) {
      after.run();
    }
    return assigned;
  }

  @Override
  public void classify(long conversationId, Long categoryId, List<String> tags) {}

  @Override
  public boolean markEnded(long conversationId, ConversationState state, String reason, Instant at) {
    Conversation c = conversations.get(conversationId);
    if (c == null || !c.state().isOpen()) {
      return false;
    }
    conversations.put(conversationId, c.withState(state));
    return true;
  }

  @Override
  public boolean markWaiting(long conversationId, Long expectedAgentId, long centerId, long queueId,
      boolean transfer, Instant at) {
    Conversation c = conversations.get(conversationId);
    if (c == null || !c.state().isOpen()) {
      return false;
    }
    conversations.put(conversationId, c.waitingIn(centerId, queueId, c.priority(), at));
    return true;
  }

  @Override
  public boolean markHandedOver(long conversationId, long fromAgentId, long toAgentId, Instant at) {
    Conversation c = conversations.get(conversationId);
    if (c == null || !c.isAssignedTo(fromAgentId)) {
      return false;
    }
    conversations.put(conversationId, c.assignedTo(toAgentId, at));
    return true;
  }

  @Override
  public boolean markHold(long conversationId, long agentId, boolean hold) {
    Conversation c = conversations.get(conversationId);
    if (c == null || !c.isAssignedTo(agentId)) {
      return false;
    }
    conversations.put(conversationId, c.withState(hold ? ConversationState.HOLD : ConversationState.ASSIGNED));
    return true;
  }

  @Override
  public Note insertNote(long conversationId, long authorId, String kind, String cmid, String body, Instant at) {
    return new Note(ids.incrementAndGet(), conversationId, authorId, kind, cmid, body, at, false);
  }

  @Override
  public Optional<Note> noteByCmid(long authorId, String cmid) {
    return Optional.empty();
  }

  @Override
  public List<Note> notes(long conversationId) {
    return List.of();
  }

  @Override
  public boolean rate(long conversationId, long customerId, int score, String comment) {
    return true;
  }

  @Override
  public Optional<Integer> rating(long conversationId) {
    return Optional.empty();
  }

  @Override
  public Optional<Long> previousAgent(long customerId, long conversationId) {
    Runnable hook = whenPreviousAgentAsked;
    whenPreviousAgentAsked = null;
    if (hook != null) {
      hook.run();
    }
    return Optional.empty();
  }

  @Override
  public int customerPriority(long customerId) {
    return 0;
  }

  @Override
  public Optional<CustomerRecord> customer(long customerId) {
    return Optional.of(new CustomerRecord(customerId, "고객", null, null, null));
  }

  @Override
  public List<Conversation> customerConversations(long customerId, long beforeId, int limit) {
    return List.of();
  }

  @Override
  public boolean updateCustomerPriority(long tenantId, long customerId, int priority) {
    return true;
  }

  @Override
  public long insertInquiry(long tenantId, long centerId, long queueId, long customerId, Long conversationId,
      String contact, String text, Instant at) {
    return ids.incrementAndGet();
  }

  @Override
  public List<OfflineInquiry> pendingInquiries(long centerId) {
    return List.of();
  }

  @Override
  public boolean markInquiryHandled(long centerId, long inquiryId, long userId, Instant at) {
    return true;
  }

  @Override
  public List<Conversation> openConversations() {
    return conversations.values().stream().filter(c -> c.state().isOpen()).toList();
  }

  @Override
  public List<Conversation> openConversations(long centerId) {
    return openConversations().stream().filter(c -> c.centerId() == centerId).toList();
  }

  @Override
  public Optional<Conversation> conversation(long id) {
    return Optional.ofNullable(conversations.get(id));
  }

  @Override
  public List<StoredMessage> messagesAfter(long conversationId, long afterSeq, int limit) {
    return List.of();
  }

  @Override
  public Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid) {
    return Optional.empty();
  }

  @Override
  public List<StoredMessage> lastMessages(long conversationId, int limit) {
    return List.of();
  }
}
