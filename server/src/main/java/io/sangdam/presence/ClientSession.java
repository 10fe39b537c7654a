package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Participant;
import io.sangdam.chat.Replay;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What customer and agent sessions share: the flood limit, JSON parsing, the {@code hello} gate,
 * resumes and error replies. Frames that arrive while {@code hello} is being answered wait for it,
 * in order, so a client may send {@code hello} and its first request back to back. Every request
 * admitted is answered, also when a flood closes the session: the close waits for the answers.
 */
abstract class ClientSession implements Session {
  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
  /** WebSocket close code for a policy violation: the flood limit. */
  static final int CLOSE_POLICY = 1008;
  /** Application close code, after HTTP's 409 Conflict: the customer or user has as many connections as allowed. */
  static final int CLOSE_TOO_MANY_SESSIONS = 4409;

  private enum Hello { NONE, PENDING, DONE }

  private final long id;
  private final Outbound out;
  private final Json json;
  private final RateLimiter limiter;
  private final List<Fields> waitingForHello = new ArrayList<>();
  private final Resumes resumes;
  /** Requests admitted whose answer is still on its way (hello, replies, resumes). */
  private final AtomicInteger unanswered = new AtomicInteger();
  /** Completes when a flooded session has answered everything it admitted. */
  private final CompletableFuture<Void> allAnswered = new CompletableFuture<>();
  private Hello hello = Hello.NONE;
  private boolean closed;
  private volatile boolean flooded;

  ClientSession(long id, Outbound out, Json json, RateLimiter limiter, Sessions sessions) {
    this.id = id;
    this.out = out;
    this.json = json;
    this.limiter = limiter;
    this.resumes = new Resumes(this, out, sessions);
  }

  long id() {
    return id;
  }

  void send(ServerMessage m) {
    synchronized (holding) {
      if (held != null) {
        held.add(m);
        return;
      }
    }
    out.send(m);
  }

  /**
   * Pushes wait from now until {@link #releasePushes}: from joining the registry until {@code welcome} is
   * sent (pushes reach a session once registered, and one before welcome would name a conversation the
   * client does not know yet), and while this session's new conversation is being started (with many
   * nodes, by another node, whose events of it may reach this node before its answer does), so the
   * session says {@code started} before any {@code queue} or {@code assigned} of it; and while an agent's
   * new status is told to routing, so the agent says {@code status} before any {@code assigned} it brings.
   */
  void holdPushes() {
    synchronized (holding) {
      if (held == null) {
        held = new ArrayList<>();
      }
    }
  }

  /**
   * Sends {@code first} (unless null), then every push held since {@link #holdPushes}, in order, and
   * stops holding. The sends happen outside the lock (an outbound may close the session, which takes
   * other locks); what comes meanwhile joins the end of the line until it is empty.
   */
  void releasePushes(ServerMessage first) {
    List<ServerMessage> batch;
    synchronized (holding) {
      if (held == null || releasing) {
        batch = null;
      } else {
        releasing = true;
        batch = held;
        held = new ArrayList<>();
      }
    }
    if (batch == null) {
      if (first != null) {
        send(first);
      }
      return;
    }
    if (first != null) {
      out.send(first);
    }
    while (true) {
      batch.forEach(out::send);
      synchronized (holding) {
        if (held.isEmpty()) {
          held = null;
          releasing = false;
          return;
        }
        batch = held;
        held = new ArrayList<>();
      }
    }
  }

  String remoteAddress() {
    return out.remoteAddress();
  }

  /**
   * Guards {@link #held}: a lock of its own, never the session's, since sends come from threads that
   * hold other locks (a resume's pump holds its own while it sends; dispatch holds the session's).
   */
  private final Object holding = new Object();
  /** Pushes held until a welcome, a start's answer or a status's answer ({@link #holdPushes}); null when none is. */
  private List<ServerMessage> held;
  /** Whether a release is sending what was held: later pushes still join the line meanwhile. */
  private boolean releasing;

  /** When this session last had a {@code typing} forwarded, by conversation ({@link Relay}). */
  private final Map<Long, Long> typingSent = new ConcurrentHashMap<>();

  /**
   * Whether a {@code typing} of this session in the conversation is forwarded at {@code now}
   * (nanoseconds): at most one per {@code interval}; if so, it counts from now.
   */
  boolean typingDue(long conversationId, long now, long interval) {
    Long last = typingSent.get(conversationId);
    if (last != null && now - last < interval) {
      return false;
    }
    typingSent.put(conversationId, now);
    return true;
  }

  /** Who this session speaks for in a conversation; only asked once {@code hello} is answered. */
  abstract Participant participant();

  /** The signed-in user of this session changed (only consoles have one). */
  void userChanged(User user) {
  }

  /** Whether this session is a member of staff's, who sees personal numbers masked. */
  abstract boolean isStaff();

  /**
   * Sends every message of a replay after {@code afterSeq}, in order, a page at a time as the client
   * takes them, then {@code resumed}; or the failure as an error. {@code page} reads the page after
   * a seq and checks access, for every page; it is first called when the resumes asked before this
   * one on the session are answered.
   */
  void replay(JsonNode rid, long conversationId, long afterSeq, LongFunction<CompletableFuture<Replay>> page) {
    resumes.ask(new Resumes.Request(rid, conversationId, afterSeq, page));
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
    if (closed || flooded) {
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
            answering();
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
    if (!closed && !flooded) {
      out.send(new ServerMessage.Error(null, ErrorCode.BAD_REQUEST, "only text frames carrying JSON are accepted"));
    }
  }

  /**
   * Within the flood limit, or else the first frame past it: nothing more is admitted, and the
   * session closes with 1008 once what it admitted before is answered.
   */
  @Override
  public final synchronized boolean admit() {
    if (closed || flooded) {
      return false;
    }
    if (limiter.tryAcquire()) {
      return true;
    }
    flooded = true;
    if (unanswered.get() == 0) {
      allAnswered.complete(null);
    }
    out.closeWhenAnswered(allAnswered, CLOSE_POLICY, "rate limit exceeded");
    return false;
  }

  /** One more admitted request whose answer is on its way. */
  void answering() {
    unanswered.incrementAndGet();
  }

  /** That answer is sent (or failed). Flooded is read after the count, as {@link #admit} reads them the other way round. */
  void answered() {
    if (unanswered.decrementAndGet() == 0 && flooded) {
      allAnswered.complete(null);
    }
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
    // Only now: the frames that waited for hello have their own answers counted.
    answered();
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

  @Override
  public final synchronized boolean greeted() {
    return hello == Hello.DONE;
  }

  /** Whether this session signed in with {@code token}; customers sign in with none. */
  boolean signedInWith(String token) {
    return false;
  }

  /** Whether this session signed in with the token of this key ({@link io.sangdam.auth.Authenticator#tokenKey}). */
  boolean signedInWithKey(String tokenKey) {
    return false;
  }

  final synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Joins the registry by {@code join}, unless the connection has already ended. {@code hello}
   * runs on a worker: a socket that closed meanwhile found nothing to remove in {@link #ended},
   * so joining after that would leave the session registered for good (a customer online
   * forever, an agent routed chats on a dead socket). Under the session's lock, as
   * {@link #onClose}: either the join comes first and the close removes it, or it never happens.
   * Throws when the connection ended, so {@code hello} answers nothing; and when the identity has
   * as many sessions as allowed, after closing this connection with {@value #CLOSE_TOO_MANY_SESSIONS}.
   * Pushes are held from here until {@code hello} sends its welcome by {@link #releasePushes}, or
   * {@link #unregister}s after failing.
   */
  final synchronized void register(Runnable join) {
    if (closed) {
      throw new SangdamException(ErrorCode.CONFLICT, "the connection closed while hello was answered");
    }
    holdPushes();
    try {
      join.run();
    } catch (RuntimeException e) {
      dropPushes();
      if (e instanceof TooManySessions) {
        out.close(CLOSE_TOO_MANY_SESSIONS, e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Undoes {@link #register} for a hello that failed once registered (its open conversations could not be
   * read): {@code leave} takes the session out of the registry, as its close would, unless the connection has
   * ended meanwhile and its close did. What was held for the welcome is dropped: the client never had the
   * welcome those pushes follow, and the welcome of its next hello lists what it needs.
   */
  final synchronized void unregister(Runnable leave) {
    if (!closed) {
      leave.run();
    }
    dropPushes();
  }

  private void dropPushes() {
    synchronized (holding) {
      held = null;
    }
  }

  @Override
  public final synchronized void onClose() {
    closed = true;
    resumes.stop();
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
    answering();
    future.whenComplete((value, e) -> {
      try {
        if (e != null) {
          error(rid, e);
        } else {
          onSuccess.accept(value);
        }
      } catch (RuntimeException failed) {
        log.error("session {} from {} ({}): answering a request failed", id, remoteAddress(), who(), failed);
        out.send(new ServerMessage.Error(rid, ErrorCode.INTERNAL, "internal error"));
      } finally {
        answered();
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
    } else if (cause instanceof RejectedExecutionException) {
      // The workers' queue is full, or the database is known to be down: nothing was done, so say try again.
      out.send(new ServerMessage.Error(rid, ErrorCode.UNAVAILABLE, "the server cannot take this now; try again"));
    } else {
      log.error("session {} from {} ({}) failed", id, remoteAddress(), who(), cause);
      out.send(new ServerMessage.Error(rid, ErrorCode.INTERNAL, "internal error"));
    }
  }
}
