package io.sangdam.changes;

import static java.util.Objects.requireNonNull;

/**
 * A management change made on one node, as the other nodes must learn it to bring their caches up
 * to date: it names what changed, never the new state, which each node reads from the database.
 */
public sealed interface Change {

  /** The directory's cached rows, each read again by its kind and id. */
  enum Kind { TENANT, CENTER, QUEUE, USER }

  /** A tenant, center, queue or user was created or changed. */
  record DirectoryRow(Kind kind, long id) implements Change {
    public DirectoryRow {
      requireNonNull(kind, "kind");
    }
  }

  /** Every token of the user was revoked (disabled, moved, password reset, signed out by an administrator). */
  record SignedOut(long userId) implements Change {}

  /** The user's queues, capacity or name changed: cached sign-ins and open consoles take the new row. */
  record UserChanged(long userId) implements Change {}

  /** One token of the user was logged out; {@code tokenKey} is the token's SHA-256 in hex, as the database keeps it. */
  record LoggedOut(long userId, String tokenKey) implements Change {
    public LoggedOut {
      requireNonNull(tokenKey, "tokenKey");
    }
  }

  /** A tenant's webhooks were created, changed or deleted. */
  record WebhooksChanged(long tenantId) implements Change {}

  /** A tenant's bot changed: a scenario saved, where one greets, or its FAQ. */
  record BotChanged(long tenantId) implements Change {}

  /** A callback request of a center's queue was stored or changed: the agents serving the queue are told. */
  record CallbacksChanged(long centerId, long queueId) implements Change {}
}
