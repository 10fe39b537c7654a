package io.sangdam.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Retention settings, legal holds and the erasing itself in the database. Implemented in {@code store}; blocks. */
public interface RetentionStore {

  record TenantPolicy(long tenantId, RetentionPolicy policy) {}

  /** A customer of the tenant not yet erased: whether something holds them, and their conversations not ended. */
  record Customer(long id, Long holdId, int open) {}

  /** What {@link #complete} did: its counts, and the attachment files no row refers to any more. */
  record Finished(Erased erased, Set<String> unreferencedFiles) {}

  Optional<RetentionPolicy> policy(long tenantId);

  List<TenantPolicy> policies();

  void save(long tenantId, RetentionPolicy policy, Instant at);

  /** Back to keeping everything; false when the tenant had no retention. */
  boolean remove(long tenantId);

  /** The tenant's holds, newest first: the active ones, or every one. */
  List<LegalHold> holds(long tenantId, boolean withReleased, int limit);

  Optional<LegalHold> hold(long tenantId, long id);

  /** The active hold on exactly this customer or conversation, if any. */
  Optional<LegalHold> activeHold(long tenantId, Long customerId, Long conversationId);

  /**
   * Places a hold on a customer or a conversation of the tenant that is not erased (nor being erased); empty when
   * there is no such subject.
   */
  Optional<LegalHold> place(long tenantId, Long customerId, Long conversationId, String reason, String by, Instant at);

  /** Releases an active hold; false when it is not (any more) active. */
  boolean release(long tenantId, long id, String by, String reason, Instant at);

  /** Records the start of the run with this key; false when another node (or an earlier tick) already did. */
  boolean claimRun(String key, String node, Instant at);

  void finishRun(String key, Erased erased, Instant at);

  /**
   * The next ended, unheld, not yet erased conversations of the tenant after {@code afterId} (by id) that ended
   * before {@code cutoff}, or before {@code recordCutoff} when their queue is a record queue: at most {@code limit}.
   */
  List<Long> dueConversations(long tenantId, Instant cutoff, Instant recordCutoff, long afterId, int limit);

  /**
   * Marks these conversations of the tenant for erasure with {@code action}: those not held, not erased and not
   * marked already. Nothing of them is erased yet and a hold may still come on them: {@link #decide} looks again.
   * Returns how many were marked.
   */
  int mark(long tenantId, List<Long> conversationIds, RetentionPolicy.Action action, Instant at);

  /** Tenants with conversations marked and not finished (a run or request cut short). */
  List<Long> pendingTenants();

  /** The tenant's pending conversations after {@code afterId}, at most {@code limit}. */
  List<Long> pending(long tenantId, long afterId, int limit);

  /**
   * Commits the erasure of these marked conversations in one short transaction that reads the holds as they are at
   * its commit: a held one is withdrawn (unmarked, kept whole); the rest lose their notes, pre-chat answers and
   * other copies and every personal field, and count as erased from then on (their messages and attachments follow).
   * Those decided before (a run cut short) are left as they are. Returns how many were withdrawn.
   */
  int decide(List<Long> conversationIds);

  /** Deletes at most {@code limit} messages of these decided conversations in one statement; how many it did. */
  int deleteMessages(List<Long> conversationIds, int limit);

  /**
   * Ends the erasure of these decided conversations (their messages gone): their attachments go, the conversation
   * row is deleted or stays stripped as marked, and it is marked no more.
   */
  Finished complete(List<Long> conversationIds);

  /**
   * The customer's conversations that are records another law requires kept: ended in one of the tenant's record
   * queues at or after {@code recordCutoff}, not erased nor marked.
   */
  List<Long> records(long tenantId, long customerId, Instant recordCutoff);

  /**
   * Keeps these conversations of the tenant as records while their customer is erased: what the record is (its
   * messages, attachments, notes, times, queue, agent, category, tags, score) stays until its record period is
   * over; what is not (pre-chat answers, link proposals, offline inquiries, the channel outbox's row, the rating's
   * comment, bot state and fields, the channel's user key) goes now.
   */
  void keepAsRecord(long tenantId, List<Long> conversationIds);

  /** Deletes at most {@code limit} of the tenant's webhook deliveries written before {@code cutoff}; how many. */
  int pruneDeliveries(long tenantId, Instant cutoff, int limit);

  /** Deletes the tenant's webhook deliveries about this customer (any state); how many. */
  int eraseDeliveriesOf(long tenantId, long customerId);

  /**
   * The next customers of the tenant after {@code afterId} whose last contact (creation, offline inquiry,
   * callback request) was before {@code cutoff}, none of whose conversations is kept, and not held.
   */
  List<Long> dueCustomers(long tenantId, Instant cutoff, long afterId, int limit);

  /**
   * Erases these customers in one short transaction: their callbacks, offline inquiries and link proposals go, and
   * the row is deleted (with {@code DELETE}, when no conversation row refers to it) or stripped. Checks again that
   * no conversation of theirs is kept but those {@code keptAsRecord} and no hold is on them; returns how many were
   * erased.
   */
  int eraseCustomers(long tenantId, List<Long> customerIds, RetentionPolicy.Action action, Instant at,
      List<Long> keptAsRecord);

  /** A customer of the tenant not yet erased, with what may keep them from an erasure now. */
  Optional<Customer> customer(long tenantId, long customerId);

  /** Ids of the customer's conversations not yet erased. */
  List<Long> conversationsOf(long tenantId, long customerId);

  /** The active hold on any of the customer's conversations, if any. */
  Optional<Long> heldConversationOf(long tenantId, long customerId);
}
