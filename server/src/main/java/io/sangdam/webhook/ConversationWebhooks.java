package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.User;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hands the conversation events a tenant's webhooks may ask for to {@link Webhooks}: conversation
 * started, assigned and closed, message created. The payload is built later, on the webhook thread.
 */
public final class ConversationWebhooks implements ConversationEvents.Subscriber {
  private final Webhooks webhooks;
  private final Directory directory;

  public ConversationWebhooks(Webhooks webhooks, Directory directory) {
    this.webhooks = requireNonNull(webhooks, "webhooks");
    this.directory = requireNonNull(directory, "directory");
  }

  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.Started e) {
      publish(e.conversation(), "conversation.started", Map::of);
    } else if (event instanceof ConversationEvent.Assigned e) {
      publish(e.conversation(), "conversation.assigned", Map::of);
    } else if (event instanceof ConversationEvent.MessageStored e && !e.message().repeated()) {
      // Built on the webhook thread too: most tenants have no webhook, and every message comes through here.
      publish(e.conversation(), "message.created", () -> message(e.message()));
    } else if (event instanceof ConversationEvent.Closed e) {
      publish(e.conversation(), "conversation.closed", () -> Map.of("reason", e.reason()));
    }
  }

  private static Map<String, Object> message(StoredMessage m) {
    Map<String, Object> message = new LinkedHashMap<>(Map.of("seq", m.seq(),
        "from", m.senderKind().name().toLowerCase(Locale.ROOT),
        "text", m.body() == null ? "" : m.body(), "messageAt", m.at().toString()));
    if (m.notice() != null) {
      message.put("key", m.notice().key());
      message.put("params", m.notice().params());
    }
    return message;
  }

  private void publish(Conversation c, String event, Supplier<Map<String, Object>> extra) {
    webhooks.publish(c.tenantId(), event, () -> {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("conversation", c.id());
      data.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
      data.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
      data.put("channel", c.channel());
      data.put("state", c.state().name());
      data.put("customer", Map.of("id", c.customerId(), "name", c.customerName() == null ? "" : c.customerName()));
      data.put("agent", c.agentId() == null ? null : directory.user(c.agentId()).map(User::username).orElse(null));
      data.put("createdAt", c.createdAt().toString());
      data.putAll(extra.get());
      return data;
    });
  }
}
