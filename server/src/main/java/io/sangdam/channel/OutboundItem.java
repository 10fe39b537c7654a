package io.sangdam.channel;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing to deliver to a channel's customer, in {@code seq} order per conversation: a message
 * ({@code MESSAGE}: an agent's, a bot's or a system message, with its text and maybe a file) or the
 * conversation's end ({@code CLOSED}, with its reason). {@code user} is the customer's key on the
 * channel; {@code attempt} counts from 1.
 */
public record OutboundItem(long id, long conversationId, long seq, Type type, String user, String from, String name,
    String text, Instant at, Optional<String> reason, Optional<OutboundFile> file, int attempt) {

  public enum Type { MESSAGE, CLOSED }

  /** A file sent with a message: where the adapter reads its bytes, its name, type and size. */
  public record OutboundFile(long attachmentId, String name, String contentType, long size) {}
}
