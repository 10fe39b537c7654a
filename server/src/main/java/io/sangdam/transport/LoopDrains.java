package io.sangdam.transport;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server's drain tasks, one per event loop: the sends from other threads to the connections of a loop wait for one
 * task of the loop, and cost one wake-up of it while it has not run that task, instead of one each. Acks and pushes
 * come in bursts (a commit's batch, a conversation's events) to connections spread over the loops.
 */
final class LoopDrains {
  private final Map<EventLoop, Drain> loops = new ConcurrentHashMap<>();

  /** {@code loop}'s task, made at its first connection. */
  Drain of(EventLoop loop) {
    return loops.computeIfAbsent(loop, Drain::new);
  }

  /** The connections of one loop waiting to be drained, and the one task on the loop that drains them. */
  static final class Drain implements Runnable {
    private final EventLoop loop;
    private final Queue<NettyOutbound> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean queued = new AtomicBoolean();

    private Drain(EventLoop loop) {
      this.loop = loop;
    }

    /** {@code outbound} drains at the loop's next run of this task, queued now unless it is already. */
    void add(NettyOutbound outbound) {
      ready.add(outbound);
      if (queued.compareAndSet(false, true)) {
        try {
          loop.execute(this);
        } catch (RejectedExecutionException e) {
          // The server is stopping and its connections with it: nothing is left to write to.
        }
      }
    }

    /** The flag drops before the queue is read, so a connection added after the last read queues the task again. */
    @Override
    public void run() {
      queued.set(false);
      NettyOutbound next;
      while ((next = ready.poll()) != null) {
        next.drain();
      }
    }
  }
}
