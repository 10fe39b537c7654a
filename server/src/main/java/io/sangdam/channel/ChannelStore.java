package io.sangdam.channel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Channels, their customers and the inbound messages already handled. Implemented in {@code store}; methods block. */
public interface ChannelStore {
  /** A new channel; a code the tenant already has is {@code conflict}. */
  Channel insert(long tenantId, String code, ChannelKind kind, long centerId, long queueId, boolean enabled,
      Map<String, String> settings, String secret, Instant at);

  /** Changes the destination, the enabled flag and the settings (never the code, kind or secret). */
  Channel update(Channel changed);

  List<Channel> forTenant(long tenantId);

  Optional<Channel> find(long tenantId, String code);

  /** The customer who writes as {@code userKey} on the channel, if they wrote before. */
  Optional<Long> customer(long channelId, String userKey);

  /**
   * The channel's customer for {@code userKey}, made now if there is none (under a random visitor hash
   * nobody holds: a channel's customer never signs in through the widget). Safe when two race.
   */
  long ensureCustomer(long tenantId, long channelId, String userKey, String name, byte[] visitorHash, Instant at);

  /** Keeps what the channel said of the customer's age when they last opened the chat. */
  void markUnder14(long customerId, boolean under14);

  /** Keeps the last hand-over of the customer's thread the channel told of ({@code passThread}, {@code takeThread}). */
  void recordThreadControl(long customerId, String control, Instant at);

  /** The external id the customer is known by (a channel's customer: the one linked to it), if any. */
  Optional<String> externalId(long customerId);

  /**
   * Links the customer to the company's {@code externalId} (null: unlinks): every customer of the tenant
   * known by it is then the same person, whose conversations {@code history} shows together.
   */
  void linkExternalId(long customerId, String externalId);

  /**
   * The customer's open conversation, as the database has it: every node sees the same at once (a
   * node's copies of other nodes' conversations follow their events, a moment later).
   */
  Optional<Long> openConversation(long customerId);

  /**
   * The customer's latest conversation, if its rating question reached them ({@link ChannelRatings}): when,
   * and whether it is rated yet. Empty when the latest was never asked (a later one started meanwhile).
   */
  Optional<Surveyed> surveyed(long customerId);

  record Surveyed(long conversationId, Instant askedAt, boolean rated) {}

  /**
   * The customer's message stored with {@code mid} as its cmid, if any: a repeat whose kept answer is gone
   * (older than a week, or not kept because the server stopped between the two) is still answered.
   */
  Optional<InboundAnswer> customerMessage(long customerId, String mid);

  /** The answer given to an inbound message or event with this {@code mid} before, if any. */
  Optional<InboundAnswer> answered(long channelId, String mid);

  /** Keeps the answer to {@code mid}; one already kept wins. */
  void keepAnswer(long channelId, String mid, InboundAnswer answer, Instant at);

  /** Forgets answers kept before {@code before}; returns how many. */
  int forgetAnswers(Instant before);

  /** What an inbound message or event was answered: its conversation, and the message's seq (null for an event). */
  record InboundAnswer(long conversationId, Long seq) {}
}
