package io.sangdam.presence;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.Json;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Makes the session for a new WebSocket connection, each with its socket's dispatch table and its own flood limit. */
public final class SessionFactory {
  private final Json json;
  private final Sessions sessions;
  private final AgentFrames agentFrames;
  private final CustomerFrames customerFrames;
  private final Clock clock;
  private final int messagesPerSecond;
  private final int burst;
  private final int outboundBytes;
  private final LongSupplier nanoTime;
  /**
   * Session ids start at a random point: an event names the session that asked for it
   * ({@code originSession}) and travels to every node, so ids must not repeat across nodes.
   */
  private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 22) << 40);

  /**
   * {@code messagesPerSecond} and {@code burst}: each session's flood limit; {@code outboundBytes}:
   * its output budget; {@code clock}: against which a console's token expires.
   */
  public SessionFactory(Json json, Sessions sessions, AgentFrames agentFrames, CustomerFrames customerFrames,
      Clock clock, int messagesPerSecond, int burst, int outboundBytes, LongSupplier nanoTime) {
    this.json = requireNonNull(json, "json");
    this.sessions = requireNonNull(sessions, "sessions");
    this.agentFrames = requireNonNull(agentFrames, "agentFrames");
    this.customerFrames = requireNonNull(customerFrames, "customerFrames");
    this.clock = requireNonNull(clock, "clock");
    this.messagesPerSecond = messagesPerSecond;
    this.burst = burst;
    this.outboundBytes = outboundBytes;
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  public Session customer(Outbound out) {
    return new CustomerSession(ids.incrementAndGet(), out, json, limiter(), sessions, customerFrames.frames());
  }

  public Session agent(Outbound out) {
    return new AgentSession(ids.incrementAndGet(), out, json, limiter(), sessions, agentFrames.frames(), clock);
  }

  /** The most output a session may have waiting for its client before it is closed as too slow (transport enforces it). */
  public int outboundBytes() {
    return outboundBytes;
  }

  private RateLimiter limiter() {
    return new RateLimiter(messagesPerSecond, burst, nanoTime);
  }
}
