package io.sangdam.channel;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing to deliver to a channel's customer, in {@code seq} order per conversation: a message
 * ({@code MESSAGE}: an agent's, a bot's or a system message, with its text and maybe a file) or the
 * conversation's end ({@code CLOSED}, with its reason). {@code user} is the customer's key on the
 * channel; {@code attempt} counts from 1. {@code survey}, on an end only: the customer is asked to rate the
 * conversation ({@link ChannelRatings}) with this question, before the channel's end.
 */
public record OutboundItem(long id, long conversationId, long seq, Type type, String user, String from, String name,
    String text, Instant at, Optional<String> reason, Optional<OutboundFile> file, int attempt,
    Optional<String> survey) {

  public enum Type { MESSAGE, CLOSED }

  /** A file sent with a message: where the adapter reads its bytes, its name, type and size. */
  public record OutboundFile(long attachmentId, String name, String contentType, long size) {}

  /** An item that asks for no rating (every message, and an end the outbox has not yet looked at). */
  public OutboundItem(long id, long conversationId, long seq, Type type, String user, String from, String name,
      String text, Instant at, Optional<String> reason, Optional<OutboundFile> file, int attempt) {
    this(id, conversationId, seq, type, user, from, name, text, at, reason, file, attempt, Optional.empty());
  }

  /** This end, asking the customer {@code question} before it. */
  public OutboundItem withSurvey(String question) {
    return new OutboundItem(id, conversationId, seq, type, user, from, name, text, at, reason, file, attempt,
        Optional.of(question));
  }
}
