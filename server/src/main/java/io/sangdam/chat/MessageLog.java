package io.sangdam.chat;

import java.util.concurrent.CompletableFuture;

/**
 * The durable, ordered log of chat messages (the batching writer in {@code store}). Futures
 * complete only after the commit; messages are committed and completed in the order appended.
 */
public interface MessageLog {
  /**
   * Gives the message the next gapless {@code seq} of its conversation and commits it. A
   * {@code cmid} already stored for the same sender completes with the original message, marked repeated.
   */
  CompletableFuture<StoredMessage> append(NewMessage message);

  /** Completes once everything appended before it is committed (or has failed). */
  CompletableFuture<Void> barrier();
}
