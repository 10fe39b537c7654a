package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Replay;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;

/**
 * The {@code resume} requests of one session, answered one at a time, in order. A transcript is
 * read a page at a time and written only while the connection has room, so the next page is read
 * as the client takes the last: a client that asks for a long transcript again and again and never
 * reads holds one page and a short line of requests, not a copy of the transcript per request.
 */
final class Resumes {
  /** Requests that may wait behind the one being answered: above an agent's most open chats (50). */
  static final int MAX_WAITING = 64;

  /**
   * A resume asked for; {@code page} reads the page after a seq and checks access, for the first
   * page when its turn comes and again for each later one.
   */
  record Request(JsonNode rid, long conversationId, long afterSeq, LongFunction<CompletableFuture<Replay>> page) {}

  /** The resume being answered: its current page and how far it got. */
  private static final class Replaying {
    final Request request;
    Replay page;
    int next;
    /** The last seq sent, from which the next page is read. */
    long sent;
    /**
     * The conversation's last seq when the first page was read: the replay ends there. What comes
     * later reaches the session live, so a replay never chases a busy conversation, and it cannot
     * deliver what was written after the participant's access ended (a watch out of scope).
     */
    long upTo = -1;

    Replaying(Request request) {
      this.request = request;
    }
  }

  private final ClientSession session;
  private final Outbound out;
  private final Sessions sessions;
  private final Deque<Request> waiting = new ArrayDeque<>();
  private Replaying current;
  private boolean stopped;

  Resumes(ClientSession session, Outbound out, Sessions sessions) {
    this.session = session;
    this.out = out;
    this.sessions = sessions;
  }

  /** Answers {@code request} now or after those before it; refused with {@code rate_limited} when too many wait. */
  synchronized void ask(Request request) {
    if (stopped) {
      return;
    }
    session.answering();
    if (current == null) {
      start(request);
    } else if (waiting.size() < MAX_WAITING) {
      waiting.add(request);
    } else {
      session.error(request.rid(), new SangdamException(ErrorCode.RATE_LIMITED, "more than " + MAX_WAITING
          + " resumes are waiting on this connection; send it again after a resumed"));
      session.answered();
    }
  }

  /** The connection ended: nothing more is read or written. */
  synchronized void stop() {
    stopped = true;
    waiting.clear();
    current = null;
  }

  private void start(Request request) {
    Replaying r = new Replaying(request);
    current = r;
    r.sent = request.afterSeq();
    read(r);
  }

  private void read(Replaying r) {
    CompletableFuture<Replay> page;
    try {
      page = r.request.page().apply(r.sent);
    } catch (RuntimeException e) {
      page = CompletableFuture.failedFuture(e);
    }
    page.whenComplete((p, e) -> pageRead(r, p, e));
  }

  private synchronized void pageRead(Replaying r, Replay page, Throwable e) {
    if (stopped || current != r) {
      return;
    }
    if (e != null) {
      session.error(r.request.rid(), e);
      finish();
      return;
    }
    r.page = page;
    r.next = 0;
    if (r.upTo < 0) {
      r.upTo = page.conversation().lastSeq();
    }
    pump(r);
  }

  /** Writes the page while there is room (else waits for it), then reads the next page or answers {@code resumed}. */
  private synchronized void pump(Replaying r) {
    if (stopped || current != r) {
      return;
    }
    while (r.next < r.page.messages().size() && r.page.messages().get(r.next).seq() <= r.upTo) {
      if (!out.hasRoom()) {
        out.whenRoom(() -> pump(r));
        return;
      }
      StoredMessage m = r.page.messages().get(r.next++);
      session.send(sessions.message(r.page.conversation(), m, session.isStaff()));
      r.sent = m.seq();
    }
    if (r.page.more() && r.next == r.page.messages().size() && r.sent < r.upTo) {
      read(r);
      return;
    }
    session.send(new ServerMessage.Resumed(r.request.rid(), r.request.conversationId(), r.upTo));
    finish();
  }

  private void finish() {
    current = null;
    session.answered();
    Request next = waiting.poll();
    if (next != null) {
      start(next);
    }
  }
}
