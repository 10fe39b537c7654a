package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.Replay;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The {@code resume} requests of one session, answered one at a time, in order. A transcript is
 * read a page at a time and written only while the connection has room, so the next page is read
 * as the client takes the last: a client that asks for a long transcript again and again and never
 * reads holds one page and a short line of requests, not a copy of the transcript per request.
 */
final class Resumes {
  /** Requests that may wait behind the one being answered: above an agent's most open chats (50). */
  static final int MAX_WAITING = 64;

  /** A resume asked for; {@code firstPage} reads (and checks access) only when its turn comes. */
  record Request(JsonNode rid, long conversationId, Supplier<CompletableFuture<Replay>> firstPage) {}

  /** The resume being answered: its current page and how far it got. */
  private static final class Replaying {
    final Request request;
    Replay page;
    int next;
    long lastSeq;

    Replaying(Request request) {
      this.request = request;
    }
  }

  private final ClientSession session;
  private final Outbound out;
  private final ConversationRecords records;
  private final Sessions sessions;
  private final Deque<Request> waiting = new ArrayDeque<>();
  private Replaying current;
  private boolean stopped;

  Resumes(ClientSession session, Outbound out, ConversationRecords records, Sessions sessions) {
    this.session = session;
    this.out = out;
    this.records = records;
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
    CompletableFuture<Replay> first;
    try {
      first = request.firstPage().get();
    } catch (RuntimeException e) {
      first = CompletableFuture.failedFuture(e);
    }
    first.whenComplete((page, e) -> pageRead(r, page, e));
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
    r.lastSeq = Math.max(r.lastSeq, page.conversation().lastSeq());
    pump(r);
  }

  /** Writes the page while there is room (else waits for it), then reads the next page or answers {@code resumed}. */
  private synchronized void pump(Replaying r) {
    if (stopped || current != r) {
      return;
    }
    while (r.next < r.page.messages().size()) {
      if (!out.hasRoom()) {
        out.whenRoom(() -> pump(r));
        return;
      }
      StoredMessage m = r.page.messages().get(r.next++);
      session.send(sessions.message(r.page.conversation(), m, session.isStaff()));
      r.lastSeq = Math.max(r.lastSeq, m.seq());
    }
    if (r.page.more()) {
      records.nextPage(r.page).whenComplete((page, e) -> pageRead(r, page, e));
      return;
    }
    session.send(new ServerMessage.Resumed(r.request.rid(), r.request.conversationId(), r.lastSeq));
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
