package io.sangdam.channel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Proposals to link channel customers, by tenant: every method takes the tenant first and finds nothing of
 * another's. Implemented in {@code store}; methods block.
 */
public interface LinkProposalStore {
  /**
   * A new pending proposal; when the customer already has one pending for {@code externalId}, that one
   * ({@code created} false): two proposing at once make one.
   */
  LinkProposal.Proposed propose(long tenantId, long customerId, String externalId, String note, long conversationId,
      String linkedBefore, LinkProposal.Proposer by, Instant at);

  Optional<LinkProposal> find(long tenantId, long id);

  /** The tenant's proposals in {@code status}, newest first, {@code limit} from {@code offset}. */
  List<LinkProposal> list(long tenantId, LinkProposal.Status status, int offset, int limit);

  /** The customer's proposals, newest first, at most {@code limit}. */
  List<LinkProposal> forCustomer(long tenantId, long customerId, int limit);

  /** What a decision came to. */
  enum Outcome {
    DONE,
    /** No such proposal in the tenant. */
    UNKNOWN,
    /** Accepted or rejected before. */
    DECIDED,
    /** Accepting: the customer's link is no longer what it was when proposed; nothing changed. */
    LINK_CHANGED
  }

  /**
   * In one transaction: links the customer to the proposal's external id (as {@link ChannelStore#linkExternalId}
   * does) and marks the proposal accepted by {@code userId}; only while it is pending and the customer's link is
   * still the one it was proposed against.
   */
  Outcome accept(long tenantId, long id, long userId, Instant at);

  /** Marks a pending proposal rejected by {@code userId} for {@code reason}. */
  Outcome reject(long tenantId, long id, long userId, String reason, Instant at);
}
