package io.sangdam.chat;

import java.util.concurrent.CompletableFuture;

/**
 * The stream of conversation events: chat publishes, and whoever must learn of a change (the
 * local sessions, webhooks, metrics; other nodes, channels and bots) subscribes. Events of one
 * conversation reach each subscriber one at a time, in the order they were published; events of
 * different conversations may be delivered at once, on different threads.
 */
public interface ConversationEvents {
  /**
   * Hands the event on for delivery and returns at once; never blocks and never throws at the
   * publisher. The stage completes once every subscriber has had it (and so every event published
   * before it for the same conversation): who answers the asking session after it, answers after
   * the pushes that came first.
   */
  CompletableFuture<Void> publish(ConversationEvent event);

  /** From now on, {@code subscriber} gets every event published. Subscribe before the first publish. */
  void subscribe(Subscriber subscriber);

  /** Must not block for long: while it runs, later events of the same conversation wait. */
  @FunctionalInterface
  interface Subscriber {
    void on(ConversationEvent event);
  }
}
