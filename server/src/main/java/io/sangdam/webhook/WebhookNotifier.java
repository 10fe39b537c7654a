package io.sangdam.webhook;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationNotifier;
import io.sangdam.chat.Note;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat's notifier with webhooks beside it: every event goes to the participants first, as before,
 * and is then handed to {@link Webhooks} (conversation started, assigned and closed, message created).
 */
public final class WebhookNotifier implements ConversationNotifier {
  private final ConversationNotifier participants;
  private final Webhooks webhooks;
  private final Directory directory;

  public WebhookNotifier(ConversationNotifier participants, Webhooks webhooks, Directory directory) {
    this.participants = participants;
    this.webhooks = webhooks;
    this.directory = directory;
  }

  @Override
  public void started(Conversation conversation) {
    participants.started(conversation);
    publish(conversation, "conversation.started", Map.of());
  }

  @Override
  public void assigned(Conversation conversation, String note) {
    participants.assigned(conversation, note);
    publish(conversation, "conversation.assigned", Map.of());
  }

  @Override
  public void messageStored(Conversation conversation, StoredMessage message, long originSession) {
    participants.messageStored(conversation, message, originSession);
    if (!message.repeated()) {
      publish(conversation, "message.created", Map.of("seq", message.seq(),
          "from", message.senderKind().name().toLowerCase(java.util.Locale.ROOT),
          "text", message.body() == null ? "" : message.body(), "messageAt", message.at().toString()));
    }
  }

  @Override
  public void closed(Conversation conversation, String reason, long originSession) {
    participants.closed(conversation, reason, originSession);
    publish(conversation, "conversation.closed", Map.of("reason", reason));
  }

  private void publish(Conversation c, String event, Map<String, Object> extra) {
    webhooks.publish(c.tenantId(), event, () -> {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("conversation", c.id());
      data.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
      data.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
      data.put("state", c.state().name());
      data.put("customer", Map.of("id", c.customerId(), "name", c.customerName() == null ? "" : c.customerName()));
      data.put("agent", c.agentId() == null ? null : directory.user(c.agentId()).map(User::username).orElse(null));
      data.put("createdAt", c.createdAt().toString());
      data.putAll(extra);
      return data;
    });
  }

  @Override
  public void moved(Conversation conversation) {
    participants.moved(conversation);
  }

  @Override
  public void customerPresence(Conversation conversation, boolean online) {
    participants.customerPresence(conversation, online);
  }

  @Override
  public void positions(List<WaitingPosition> positions) {
    participants.positions(positions);
  }

  @Override
  public void transferred(Conversation conversation, long fromAgentId, long originSession) {
    participants.transferred(conversation, fromAgentId, originSession);
  }

  @Override
  public void held(Conversation conversation, boolean hold, long originSession) {
    participants.held(conversation, hold, originSession);
  }

  @Override
  public void noted(Conversation conversation, Note note, long originSession) {
    participants.noted(conversation, note, originSession);
  }

  @Override
  public void rated(Conversation conversation, int score, String comment) {
    participants.rated(conversation, score, comment);
  }

  @Override
  public void waitingAdded(Conversation conversation) {
    participants.waitingAdded(conversation);
  }

  @Override
  public void waitingRemoved(long centerId, long queueId, long conversationId) {
    participants.waitingRemoved(centerId, queueId, conversationId);
  }
}
