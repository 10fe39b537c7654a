package io.sangdam.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What channel conversations owe their channels (table {@code channel_outbound}): per conversation, its
 * agent and system messages not yet delivered, in {@code seq} order, then its end. A node delivers a
 * conversation's items only while it holds the conversation's claim, which ends on the database's clock,
 * so each conversation has one attempt in flight in the whole cluster; a dead node's claims expire and
 * another node takes its conversations then. The claims are this outbox's node's (implemented in
 * {@code store}); methods block.
 *
 * <p>A conversation let go owing nothing is parked, out of the polls' way, until {@link #wake} (by the node
 * that commits what it owes) or {@link #sweep} (what a lost wake-up left) makes it due again.
 */
public interface ChannelOutbox {
  /** The next item a claimed conversation owes (its {@code attempt} counting the failed ones before), and its channel. */
  record Pending(long tenantId, String channelCode, OutboundItem item) {}

  /** A channel, as the outbox depth is counted: by tenant, code and kind. */
  record ChannelRef(long tenantId, String code, ChannelKind kind) {}

  /**
   * Claims for this node, for {@code claim}, at most {@code limit} conversations that owe something,
   * are due by {@code due} and no unexpired claim holds, in one statement (two nodes never claim one);
   * then returns every conversation this node holds claimed and due (those just claimed, and those it
   * claimed before: it may hold them in memory already).
   */
  List<Long> claimDue(Instant due, int limit, Duration claim);

  /**
   * Renews this node's claim on the conversation to {@code claim} from now and reads its next item:
   * empty when the claim is no longer this node's or the conversation owes nothing now.
   */
  Optional<Pending> next(long conversationId, Duration claim);

  /**
   * Lets the conversation go, parked, when it owes nothing (a message committed since {@link #next} keeps it
   * claimed: false then, and the caller reads it). True when released or no longer this node's.
   */
  boolean releaseIfDone(long conversationId);

  /**
   * The message {@code seq} is done with (delivered, or given up): the claim is renewed to {@code claim} from
   * now and the conversation's next item read, as {@link #next} does, in the same transaction: empty when the
   * claim is no longer this node's or the conversation owes nothing now.
   */
  Optional<Pending> passed(long conversationId, long seq, Instant now, Duration claim);

  /**
   * The conversation's end is done with: it owes nothing more; {@code surveyAsked}, when its rating question
   * reached the customer with it (kept on the conversation, {@link ChannelRatings}); empty, no answer is awaited
   * (none was asked, or the end was given up). False when the claim is no longer this node's.
   */
  boolean ended(long conversationId, Optional<Instant> surveyAsked);

  /**
   * The conversation's end, about to be attempted, asks the customer to rate it: their answer is awaited from
   * {@code at} on, before the end is done with, as the question may reach them while the end itself is tried
   * again (Kakao's session end failing after the question went). False when the claim is no longer this node's.
   */
  boolean asking(long conversationId, Instant at);

  /**
   * A failed attempt: {@code attempts} so far, the next at {@code next}, the claim extended to {@code
   * claim} from now (past the next attempt, which this node makes). False when the claim is no longer its.
   */
  boolean retrying(long conversationId, int attempts, Instant next, String error, Duration claim);

  /**
   * This node committed something these conversations owe: those parked are due at {@code now} (those
   * held or waiting for a retry keep their time).
   */
  void wake(Collection<Long> conversationIds, Instant now);

  /**
   * The safety net of {@link #wake}, slow (it reads every parked conversation's messages): a parked
   * conversation owing something is due at {@code now}, and one due by {@code now}, unclaimed and owing
   * nothing is parked (left so by a stop, or an upgrade).
   */
  void sweep(Instant now);

  /** Lets go of every conversation this node holds (at a stop): another node, or this one restarted, takes them. */
  void releaseAll();

  /** Items owed per channel, in the whole database: messages not yet delivered and ends not yet told. */
  List<Depth> depth();

  record Depth(ChannelRef channel, long items) {}
}
