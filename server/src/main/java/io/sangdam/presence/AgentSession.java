package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Participant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.AgentProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An agent's console (/ws/agent): who signed in, with which token until when, and the picks in
 * flight. Agents and center managers of a center may connect; {@link AgentFrames} has its handlers.
 */
final class AgentSession extends ClientSession {
  private final Frames<AgentSession> frames;
  private final Clock clock;
  private volatile Principal me;
  /** The token this console signed in with: logging it out closes this socket, and so does its expiry. */
  private volatile String token;
  private volatile Instant tokenExpires;
  /** The rids of picks in flight, by conversation: the {@code assigned} that answers a pick carries its rid. */
  private final Map<Long, JsonNode> pickRids = new ConcurrentHashMap<>();

  AgentSession(long id, Outbound out, Json json, RateLimiter limiter, Sessions sessions,
      Frames<AgentSession> frames, Clock clock) {
    super(id, out, json, limiter, sessions);
    this.frames = frames;
    this.clock = clock;
  }

  @Override
  CompletableFuture<?> hello(Fields frame) {
    return frames.greeter().hello(this, frame);
  }

  @Override
  void handle(String type, Fields f) {
    // Checked at the console's next frame: cheaper than a timer per socket, and nothing is done with an expired token.
    if (!clock.instant().isBefore(tokenExpires)) {
      signOut("token expired");
      return;
    }
    frames.handler(type).handle(this, f, f.node().get("rid"));
  }

  /** The signed-in user; null before {@code hello} let them in. */
  Principal principal() {
    return me;
  }

  /** Signs the console in as {@code p} with {@code token}, or out again (both null) when joining failed. */
  void signedIn(Principal p, String token) {
    this.me = p;
    this.token = token;
  }

  /** When the token this console signed in with expires, as read once the console was registered. */
  void tokenExpires(Instant expires) {
    this.tokenExpires = expires;
  }

  @Override
  boolean signedInWith(String token) {
    return token.equals(this.token);
  }

  @Override
  boolean signedInWithKey(String tokenKey) {
    String mine = token;
    return mine != null && Authenticator.tokenKey(mine).equals(tokenKey);
  }

  @Override
  Participant participant() {
    return Participant.agent(me.id());
  }

  /** What routing knows of this agent: center, queues and capacity as they are now. */
  AgentProfile profile() {
    Principal p = me;
    return new AgentProfile(p.id(), p.centerId(), p.user().queueIds(), p.user().maxChats());
  }

  /** A pick of {@code conversation} is in flight: the {@code assigned} that answers it carries {@code rid}. */
  void picking(long conversation, JsonNode rid) {
    if (rid != null) {
      pickRids.put(conversation, rid);
    }
  }

  /** The pick of {@code conversation} failed: no {@code assigned} will answer it. */
  void pickFailed(long conversation) {
    pickRids.remove(conversation);
  }

  @Override
  void send(ServerMessage m) {
    if (m instanceof ServerMessage.AssignedToAgent a && !pickRids.isEmpty()) {
      JsonNode rid = pickRids.remove(a.conversation().id());
      super.send(rid == null ? a : a.withRid(rid));
      return;
    }
    super.send(m);
  }

  @Override
  boolean mayWatch(Conversation c) {
    Principal p = me;
    return p != null && p.may(Permission.CONVERSATIONS_SUPERVISE) && Access.sees(p, c.tenantId(), c.centerId());
  }

  @Override
  boolean serves(long centerId, long queueId) {
    Principal p = me;
    return p != null && p.centerId() != null && p.centerId() == centerId && p.user().queueIds().contains(queueId);
  }

  /** An administrator changed this agent's queues, capacity or name: they count from the next status. */
  @Override
  void userChanged(User user) {
    Principal p = me;
    if (p != null) {
      me = p.with(user);
    }
  }

  @Override
  String who() {
    Principal p = me;
    return p == null ? "before hello"
        : "tenant " + (p.tenantCode() == null ? "-" : p.tenantCode()) + ", user " + p.user().username();
  }

  @Override
  boolean isStaff() {
    return true;
  }

  @Override
  void ended() {
    frames.greeter().ended(this);
  }
}
