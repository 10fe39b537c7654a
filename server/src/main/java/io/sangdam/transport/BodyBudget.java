package io.sangdam.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the port holds at once, across all connections: read, or being read,
 * and not yet answered ({@code http.maxBodyBytesInFlight}). Each connection's share is bounded by
 * its request's limit, but many connections each sending a large body at once would add up to
 * more than the heap; past the budget a request is answered 503 instead.
 */
final class BodyBudget {
  private final long max;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long max) {
    this.max = max;
  }

  /** Takes {@code bytes} of the budget, if they fit. */
  boolean take(long bytes) {
    if (held.addAndGet(bytes) > max) {
      held.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  void give(long bytes) {
    held.addAndGet(-bytes);
  }

  long held() {
    return held.get();
  }
}
