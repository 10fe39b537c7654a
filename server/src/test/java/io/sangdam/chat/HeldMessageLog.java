package io.sangdam.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A message log whose commits the test makes: appends wait until {@link #commitAll()}, as the
 * batching writer's do until their batch commits. A barrier is queued like a message, as the
 * writer's is, and completes in its turn, after everything appended before it.
 */
final class HeldMessageLog implements MessageLog {
  /** A message, or a barrier (message null). */
  private record Held(NewMessage message, CompletableFuture<StoredMessage> committed) {}

  private final List<Held> held = new ArrayList<>();
  private final Map<Long, Long> seqs = new HashMap<>();

  @Override
  public synchronized CompletableFuture<StoredMessage> append(NewMessage m) {
    CompletableFuture<StoredMessage> committed = new CompletableFuture<>();
    held.add(new Held(m, committed));
    return committed;
  }

  @Override
  public synchronized CompletableFuture<Void> barrier() {
    CompletableFuture<StoredMessage> passed = new CompletableFuture<>();
    held.add(new Held(null, passed));
    return passed.thenApply(x -> null);
  }

  /** Messages appended and not yet committed. */
  synchronized long waiting() {
    return held.stream().filter(h -> h.message() != null).count();
  }

  /** Commits every message appended so far, in order, each with the next seq of its conversation. */
  void commitAll() {
    List<Held> now;
    synchronized (this) {
      now = List.copyOf(held);
      held.clear();
    }
    for (Held h : now) {
      NewMessage m = h.message();
      if (m == null) {
        h.committed().complete(null);
        continue;
      }
      long seq;
      synchronized (this) {
        seq = seqs.merge(m.conversationId(), 1L, Long::sum);
      }
      h.committed().complete(new StoredMessage(m.conversationId(), seq, m.senderKind(), m.senderId(), m.cmid(),
          m.body(), m.at(), m.attachment(), false, m.name(), m.buttons(), m.button(), m.notice()));
    }
  }
}
