package io.sangdam.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * How far in the stream this node has handed everything on: the consumer reports each message it
 * reads, in stream order, with the stage of its delivery (lanes finish out of order); the mark is
 * the highest stream sequence up to which every message's delivery is done. Whoever waits for a
 * sequence is told once the mark reaches it. Messages the stream no longer has (aged out while the
 * consumer was away) are passed over: a wait for them ends with the next message read after them.
 */
final class StreamWatermark {
  private final Object lock = new Object();
  /** Read but not yet all delivered, in stream order. */
  private final Queue<Reading> reading = new ArrayDeque<>();
  private final NavigableMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
  private long mark;
  private boolean closed;

  private record Reading(long sequence, CompletableFuture<Void> delivered) {}

  /** Everything up to {@code sequence} counts as delivered: the stream as it was before this node read it. */
  void startAfter(long sequence) {
    synchronized (lock) {
      mark = Math.max(mark, sequence);
    }
    release();
  }

  /** The consumer read the message at {@code sequence}; {@code delivered} completes once it is handed on. */
  void read(long sequence, CompletableFuture<Void> delivered) {
    synchronized (lock) {
      reading.add(new Reading(sequence, delivered));
    }
    delivered.whenComplete((done, failed) -> advance());
  }

  /** Completes once every message up to {@code sequence} is delivered (at once if it is already). */
  CompletableFuture<Void> reached(long sequence) {
    synchronized (lock) {
      if (closed || sequence <= mark) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> reached = new CompletableFuture<>();
      waiting.computeIfAbsent(sequence, s -> new ArrayList<>(1)).add(reached);
      return reached;
    }
  }

  /** The node is stopping: nobody waits any more for a delivery that may never come. */
  void close() {
    synchronized (lock) {
      closed = true;
      mark = Long.MAX_VALUE;
    }
    release();
  }

  private void advance() {
    synchronized (lock) {
      Reading head;
      while ((head = reading.peek()) != null && head.delivered.isDone()) {
        mark = Math.max(mark, head.sequence);
        reading.poll();
      }
    }
    release();
  }

  /** Completes the waits the mark has reached, outside the lock: what runs after them is theirs. */
  private void release() {
    List<CompletableFuture<Void>> reached = new ArrayList<>();
    synchronized (lock) {
      Iterator<Map.Entry<Long, List<CompletableFuture<Void>>>> up = waiting.headMap(mark, true).entrySet().iterator();
      while (up.hasNext()) {
        reached.addAll(up.next().getValue());
        up.remove();
      }
    }
    reached.forEach(r -> r.complete(null));
  }
}
