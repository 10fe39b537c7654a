package io.sangdam.webhook;

import java.time.Instant;
import java.util.List;

/** Deliveries not yet answered 2xx, kept across restarts. Implemented in {@code store}; methods block. */
public interface WebhookOutbox {
  /** One event for one webhook: what is sent, how often it was tried, and when to try it next. */
  record Delivery(String deliveryId, Webhook webhook, String event, byte[] body, int attempts, Instant nextAttemptAt) {}

  /** Which delivery: the event's id and the webhook it goes to. */
  record Key(String deliveryId, long webhookId) {}

  /** Writes new deliveries, all in one statement. */
  void add(List<Delivery> deliveries, Instant at);

  /** Removes answered deliveries. */
  void delivered(List<Key> keys);

  /** Records a failed attempt: tried {@code attempts} times so far, next at {@code next}. */
  void failed(Key key, int attempts, Instant next, String error);

  /** Keeps a delivery that will not be tried again, with the reason, for the operator. */
  void gaveUp(Key key, int attempts, String error);

  /**
   * Deliveries due by {@code due} for enabled webhooks (with their current URL and secret), the
   * most due first, at most {@code limit}.
   */
  List<Delivery> pending(Instant due, int limit);
}
