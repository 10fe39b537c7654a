package io.sangdam.presence;

import io.sangdam.chat.Participant;
import io.sangdam.directory.Center;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.util.concurrent.CompletableFuture;

/** A customer's chat window (/ws/customer): who the customer is, once let in; {@link CustomerFrames} has its handlers. */
final class CustomerSession extends ClientSession {
  /** Who this customer is, once {@code hello} has been answered. */
  /** {@code verified}: the company vouched for the customer with a signed external id. */
  record Identity(long customerId, String name, Tenant tenant, Center center, boolean verified) {}

  private final Frames<CustomerSession> frames;
  private volatile Identity me;

  CustomerSession(long id, Outbound out, Json json, RateLimiter limiter, Sessions sessions,
      Frames<CustomerSession> frames) {
    super(id, out, json, limiter, sessions);
    this.frames = frames;
  }

  @Override
  CompletableFuture<?> hello(Fields frame) {
    return frames.greeter().hello(this, frame);
  }

  @Override
  void handle(String type, Fields f) {
    frames.handler(type).handle(this, f, f.node().get("rid"));
  }

  /** The customer; null before {@code hello} let them in. */
  Identity identity() {
    return me;
  }

  /** The customer joined the registry as {@code identity}. */
  void joined(Identity identity) {
    this.me = identity;
  }

  @Override
  Participant participant() {
    return Participant.customer(me.customerId());
  }

  @Override
  String who() {
    Identity identity = me;
    return identity == null ? "before hello"
        : "tenant " + identity.tenant().code() + ", customer " + identity.customerId();
  }

  @Override
  boolean isStaff() {
    return false;
  }

  @Override
  void ended() {
    frames.greeter().ended(this);
  }
}
