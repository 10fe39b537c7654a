package io.sangdam.webhook;

import java.time.Instant;
import java.util.Set;

/** A tenant's registered URL and the events it receives; {@code secret} signs every delivery. */
public record Webhook(long id, long tenantId, String url, String secret, Set<String> events, boolean enabled,
    Instant createdAt) {

  /** The events a webhook may ask for ({@code queue.threshold}: a live board's alert limit passed or cleared). */
  public static final Set<String> EVENTS = Set.of("conversation.started", "conversation.assigned",
      "conversation.closed", "message.created", "queue.threshold");
}
