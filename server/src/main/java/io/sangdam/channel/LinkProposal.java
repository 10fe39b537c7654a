package io.sangdam.channel;

import java.time.Instant;

/**
 * A proposal that a channel's customer (the channel and the customer's key there) is the person the
 * company knows by {@code externalId}, made in {@code conversationId}; a tenant admin accepts it (the
 * customer is linked) or rejects it. {@code linkedBefore}: the customer's external id when it was made
 * (null: not linked). {@code decidedBy}, {@code decidedAt} and {@code reason} are null while it is pending.
 */
public record LinkProposal(long id, long tenantId, long customerId, String channel, String user, String customerName,
    String externalId, String note, long conversationId, String linkedBefore, Proposer proposedBy,
    Instant proposedAt, Status status, Long decidedBy, Instant decidedAt, String reason) {
  /** Where a proposal stands; a decided one never changes again. */
  public enum Status { PENDING, ACCEPTED, REJECTED }

  /** Who proposed: a user (an agent, a manager, an admin) or a bot that collected a verified identity. */
  public sealed interface Proposer {
    /** A user by id, with their username as it was. */
    record User(long userId, String username) implements Proposer {}

    /** A bot, by the name it works under (its scenario's). */
    record Bot(String name) implements Proposer {}
  }

  /** A proposal as made: {@code created} false when the same one (customer and id) was already pending. */
  public record Proposed(LinkProposal proposal, boolean created) {}
}
