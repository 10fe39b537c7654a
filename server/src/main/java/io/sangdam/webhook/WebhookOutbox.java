package io.sangdam.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Deliveries not yet answered 2xx, kept across restarts and shared by every node on the database.
 * A node sends a delivery only while it holds the delivery's claim, a row lock of its own that ends
 * on the database's clock, so that each delivery is in flight on one node at a time; a node that
 * dies leaves claims that expire, and another node takes their deliveries then. The claims are this
 * outbox's node's (implemented in {@code store}, which knows the node's name); methods block.
 */
public interface WebhookOutbox {
  /** One event for one webhook: what is sent, how often it was tried, and when to try it next. */
  record Delivery(String deliveryId, Webhook webhook, String event, byte[] body, int attempts, Instant nextAttemptAt) {}

  /** Which delivery: the event's id and the webhook it goes to. */
  record Key(String deliveryId, long webhookId) {}

  /** A delivery this node holds claimed, and how much of its claim was left when it was read. */
  record Claimed(Delivery delivery, Duration left) {}

  /** Writes new deliveries, all in one statement, claimed by no node: the next node to look for due ones takes them. */
  void add(List<Delivery> deliveries, Instant at);

  /** Writes new deliveries, all in one statement, claimed by this node for {@code claim}: it sends them now. */
  void addClaimed(List<Delivery> deliveries, Instant at, Duration claim);

  /**
   * Claims for this node, for {@code claim}, at most {@code limit} deliveries due by {@code due} that
   * no unexpired claim holds, the most due first, in one statement (two nodes never claim one row);
   * then returns the due deliveries of enabled webhooks (with their current URL and secret) that this
   * node holds claimed, the most due first, at most {@code held + limit}: those just claimed, and
   * those it claimed before and may already hold in memory ({@code held} at most of them).
   */
  List<Claimed> claimDue(Instant due, int limit, int held, Duration claim);

  /** Extends this node's claim on a delivery to {@code claim} from now; false when the claim is no longer its. */
  boolean renew(Key key, Duration claim);

  /** Removes answered deliveries, whoever holds them now. */
  void delivered(List<Key> keys);

  /**
   * Records a failed attempt of a delivery this node holds: tried {@code attempts} times so far, next
   * at {@code next}, the claim extended to {@code claim} from now (past the next attempt, which this
   * node makes). False, and nothing recorded, when the claim is no longer this node's.
   */
  boolean failed(Key key, int attempts, Instant next, String error, Duration claim);

  /** Keeps a delivery of this node's that will not be tried again, with the reason, for the operator; unclaimed. */
  void gaveUp(Key key, int attempts, String error);
}
