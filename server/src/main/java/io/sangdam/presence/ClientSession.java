package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Participant;
import io.sangdam.chat.Replay;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What customer and agent sessions share: the flood limit, JSON parsing, the {@code hello} gate
 * and error replies. Frames that arrive while {@code hello} is being answered wait for it, in
 * order, so a client may send {@code hello} and its first request back to back.
 */
abstract class ClientSession implements Session {
  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
  /** WebSocket close code for a policy violation: the flood limit. */
  static final int CLOSE_POLICY = 1008;

  private enum Hello { NONE, PENDING, DONE }

  private final long id;
  private final Outbound out;
  private final Json json;
  private final RateLimiter limiter;
  private final List<Fields> waitingForHello = new ArrayList<>();
  private Hello hello = Hello.NONE;
  private boolean closed;

  ClientSession(long id, Outbound out, Json json, RateLimiter limiter) {
    this.id = id;
    this.out = out;
    this.json = json;
    this.limiter = limiter;
  }

  long id() {
    return id;
  }

  void send(ServerMessage m) {
    out.send(m);
  }

  String remoteAddress() {
    return out.remoteAddress();
  }

  /** Typing indicators forwarded at most once a second per conversation, per session. */
  private static final long TYPING_INTERVAL_NANOS = 1_000_000_000L;
  private final java.util.Map<Long, Long> typingSent = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Tells the other side that this participant is typing ({@code typing}) or has read up to a
   * {@code seq} ({@code read}). Neither is stored; both need an open conversation of the sender.
   */
  void relay(String type, Fields f, Participant who, SessionFactory ctx) {
    long conversationId = f.id("conversation");
    Conversation c = ctx.conversations.openFor(who, conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
    if (type.equals("typing")) {
      long now = ctx.nanoTime.getAsLong();
      Long last = typingSent.get(conversationId);
      if (last == null || now - last >= TYPING_INTERVAL_NANOS) {
        typingSent.put(conversationId, now);
        ctx.sessions.toOtherSide(c, who.kind(), new ServerMessage.Typing(conversationId, who.kind().wire()));
      }
    } else {
      long seq = f.id("seq");
      if (seq > c.lastSeq()) {
        throw Fields.invalid("seq", "must be at most the conversation's last seq, " + c.lastSeq());
      }
      ctx.sessions.toOtherSide(c, who.kind(), new ServerMessage.Read(conversationId, who.kind().wire(), seq));
    }
  }

  /** The signed-in user of this session changed (only consoles have one). */
  void userChanged(User user) {
  }

  /** Whether this session is a member of staff's, who sees personal numbers masked. */
  abstract boolean isStaff();

  /** Sends every message of a replay, in order, then {@code resumed}; or the failure as an error. */
  void replay(JsonNode rid, long conversationId, CompletableFuture<Replay> replay, SessionFactory ctx) {
    reply(rid, replay, r -> {
      long lastSeq = r.conversation().lastSeq();
      for (StoredMessage m : r.messages()) {
        send(ctx.sessions.message(r.conversation(), m, isStaff()));
        lastSeq = Math.max(lastSeq, m.seq());
      }
      send(new ServerMessage.Resumed(rid, conversationId, lastSeq));
    });
  }

  /** Whether this session's user may watch {@code c} where it is now (supervisors of its scope). */
  boolean mayWatch(Conversation c) {
    return false;
  }

  /** Whether this is an agent's session serving that queue (for live waiting lists). */
  boolean serves(long centerId, long queueId) {
    return false;
  }

  @Override
  public final synchronized void onText(String text) {
    if (!admit()) {
      return;
    }
    Fields frame;
    JsonNode rid = null;
    try {
      JsonNode node = json.parseObject(text);
      // Checked before anything is answered: every handler echoes it as it came.
      rid = Fields.rid(node);
      frame = new Fields(Json.requireValidText(node));
    } catch (SangdamException e) {
      error(rid, e);
      return;
    }
    switch (hello) {
      case NONE -> {
        if ("hello".equals(frame.node().path("type").asText())) {
          guarded(frame, () -> {
            CompletableFuture<?> answered = hello(frame);
            hello = Hello.PENDING;
            answered.whenComplete((ok, e) -> helloAnswered(frame, e));
          });
        } else {
          error(frame.node().get("rid"), new SangdamException(ErrorCode.HELLO_REQUIRED, "the first frame must be hello"));
        }
      }
      case PENDING -> waitingForHello.add(frame);
      case DONE -> dispatch(frame);
    }
  }

  @Override
  public final synchronized void onBinary() {
    if (admit()) {
      out.send(new ServerMessage.Error(null, ErrorCode.BAD_REQUEST, "only text frames carrying JSON are accepted"));
    }
  }

  /** Whether a frame may be handled: the connection is open and within the flood limit, which closes it with 1008. */
  private boolean admit() {
    if (closed) {
      return false;
    }
    if (!limiter.tryAcquire()) {
      closed = true;
      out.close(CLOSE_POLICY, "rate limit exceeded");
      return false;
    }
    return true;
  }

  private synchronized void helloAnswered(Fields frame, Throwable e) {
    if (e != null) {
      hello = Hello.NONE;
      error(frame.node().get("rid"), e);
    } else {
      hello = Hello.DONE;
    }
    List<Fields> waiting = List.copyOf(waitingForHello);
    waitingForHello.clear();
    for (Fields f : waiting) {
      if (hello == Hello.DONE) {
        dispatch(f);
      } else {
        error(f.node().get("rid"), new SangdamException(ErrorCode.HELLO_REQUIRED, "the first frame must be hello"));
      }
    }
  }

  private void dispatch(Fields frame) {
    guarded(frame, () -> {
      String type = frame.string("type", 32);
      if (type.equals("hello")) {
        throw new SangdamException(ErrorCode.BAD_REQUEST, "hello was already answered");
      }
      handle(type, frame);
    });
  }

  private void guarded(Fields frame, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      error(frame.node().get("rid"), e);
    }
  }

  /** Ends the connection from the server's side (the user was disabled or signed out by an administrator). */
  void signOut(String reason) {
    out.close(CLOSE_POLICY, reason);
  }

  final synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public final synchronized void onClose() {
    closed = true;
    ended();
  }

  /** Answers {@code hello}; completes exceptionally when the client is not let in. */
  abstract CompletableFuture<?> hello(Fields frame);

  /** Handles any frame after {@code hello}; throws {@link SangdamException} for bad input. */
  abstract void handle(String type, Fields frame);

  /** The connection ended: leave the registry. */
  abstract void ended();

  /**
   * Sends the result of {@code future} with {@code onSuccess}, or its failure as an error carrying
   * {@code rid}. A failure of {@code onSuccess} itself is logged and answered as {@code internal}:
   * thrown inside the future's callback, it would otherwise vanish with nobody told.
   */
  <T> void reply(JsonNode rid, CompletableFuture<T> future, Consumer<T> onSuccess) {
    future.whenComplete((value, e) -> {
      if (e != null) {
        error(rid, e);
        return;
      }
      try {
        onSuccess.accept(value);
      } catch (RuntimeException failed) {
        log.error("session {} from {} ({}): answering a request failed", id, remoteAddress(), who(), failed);
        out.send(new ServerMessage.Error(rid, ErrorCode.INTERNAL, "internal error"));
      }
    });
  }

  /** Who is connected, for the log: tenant and customer or user, or that hello was not answered yet. */
  abstract String who();

  void error(JsonNode rid, Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof SangdamException s) {
      if (s.getCause() != null) {
        log.warn("session {} from {} ({}) failed: {}", id, remoteAddress(), who(), s.getCause().toString());
      }
      out.send(ServerMessage.Error.of(rid, s));
    } else {
      log.error("session {} from {} ({}) failed", id, remoteAddress(), who(), cause);
      out.send(new ServerMessage.Error(rid, ErrorCode.INTERNAL, "internal error"));
    }
  }

  static SangdamException unknownType(String type) {
    return new SangdamException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'");
  }
}
