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

  /** What {@link #finish} did: its counts, and the attachment files no row refers to any more. */
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
   * Decides the erasure of these conversations of the tenant, in one short transaction that checks the holds
   * again: those not held nor erased are marked pending with {@code action}. Returns how many were.
   */
  int mark(long tenantId, List<Long> conversationIds, RetentionPolicy.Action action, Instant at);

  /** Tenants with conversations marked and not finished (a run or request cut short). */
  List<Long> pendingTenants();

  /** The tenant's pending conversations after {@code afterId}, at most {@code limit}. */
  List<Long> pending(long tenantId, long afterId, int limit);

  /** Deletes at most {@code limit} messages of these pending conversations in one statement; how many it did. */
  int deleteMessages(List<Long> conversationIds, int limit);

  /**
   * Ends the erasure of these pending conversations (their messages gone) in one short transaction: notes, tags,
   * form answers, attachments and the rest go, and the conversation row is deleted or stripped as marked.
   */
  Finished finish(List<Long> conversationIds);

  /**
   * The next customers of the tenant after {@code afterId} whose last contact (creation, offline inquiry,
   * callback request) was before {@code cutoff}, none of whose conversations is kept, and not held.
   */
  List<Long> dueCustomers(long tenantId, Instant cutoff, long afterId, int limit);

  /**
   * Erases these customers in one short transaction: their callbacks, offline inquiries and link proposals go, and
   * the row is deleted (with {@code DELETE}, when no conversation row refers to it) or stripped. Checks again that
   * no conversation of theirs is kept and no hold is on them; returns how many were erased.
   */
  int eraseCustomers(long tenantId, List<Long> customerIds, RetentionPolicy.Action action, Instant at);

  /** A customer of the tenant not yet erased, with what may keep them from an erasure now. */
  Optional<Customer> customer(long tenantId, long customerId);

  /** Ids of the customer's conversations not yet erased. */
  List<Long> conversationsOf(long tenantId, long customerId);

  /** The active hold on any of the customer's conversations, if any. */
  Optional<Long> heldConversationOf(long tenantId, long customerId);
}
