package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management changes between the nodes of a cluster, on NATS core subject {@value #SUBJECT}: a change
 * made here is published ({@link #changed}); the changes other nodes publish are applied here
 * ({@link #receive}), on a thread of their own, one at a time in the order they came, since applying
 * one reads the database. This node's own changes come back too and are skipped (by node name, unique
 * in a cluster). A message that is no change of this format ({@link ChangeMessages}) is dropped,
 * counted in {@code sangdam_cluster_changes_dropped_total} and logged, at most once per
 * {@link #LOG_EVERY} with the count since.
 *
 * <p>NATS core delivers at most once: a change published while a node is cut off from NATS never
 * reaches it. So each time the node's connection comes back, its caches catch up (read again, or
 * dropped), on the same thread as the changes; should that fail too, their own periodic reads (the
 * directory's every 30 s, tokens' and webhooks' expiry after 30 s) still bring the change.
 */
public final class ClusterChanges implements Changes, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterChanges.class);
  public static final String SUBJECT = "sangdam.changes";
  /** Changes waiting to be applied, at most; management changes come a few at a time. */
  private static final int WAITING = 10_000;
  static final Duration LOG_EVERY = Duration.ofSeconds(10);

  private final Connection nats;
  private final String node;
  private final ChangeMessages messages = new ChangeMessages();
  private final Counter dropped;
  private final ThreadPoolExecutor applying = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(WAITING), r -> {
        Thread t = new Thread(r, "cluster-changes");
        t.setDaemon(true);
        return t;
      });
  /** When a drop was last logged (System.nanoTime()), and the drops not logged since. */
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY.toNanos());
  private final AtomicLong unlogged = new AtomicLong();
  private Dispatcher dispatcher;
  private ConnectionListener reconnects;

  /**
   * {@code node}: this node's name, unique among the nodes (its own changes are skipped by it);
   * {@code registry}: where the dropped messages are counted.
   */
  public ClusterChanges(Connection nats, String node, MeterRegistry registry) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.dropped = Counter.builder("sangdam.cluster.changes.dropped")
        .description("Messages on " + SUBJECT + " that were no change this node reads, or could not be applied")
        .register(registry);
  }

  /**
   * Applies to {@code here} every change other nodes publish from now on, and runs {@code catchUp}
   * each time the connection to NATS comes back, for the changes published while it was away.
   * Returns once NATS has the subscription (or after 5 s, logged, if it did not answer).
   */
  public synchronized void receive(Changes here, Runnable catchUp) {
    requireNonNull(here, "here");
    requireNonNull(catchUp, "catchUp");
    if (dispatcher != null) {
      throw new IllegalStateException("already receiving changes");
    }
    reconnects = (connection, event) -> {
      if (event == ConnectionListener.Events.RECONNECTED) {
        caughtUp(catchUp);
      }
    };
    nats.addConnectionListener(reconnects);
    dispatcher = nats.createDispatcher(message -> received(message.getData(), here));
    dispatcher.subscribe(SUBJECT);
    try {
      nats.flush(Duration.ofSeconds(5));
    } catch (TimeoutException e) {
      log.warn("NATS did not confirm the subscription to {} within 5 s; changes of other nodes may be missed "
          + "until it does", SUBJECT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Publishes a change made here; on failure the other nodes learn it by their periodic reads. */
  @Override
  public void changed(Change change) {
    try {
      nats.publish(SUBJECT, messages.write(node, change));
    } catch (RuntimeException e) {
      log.warn("{} not published to the other nodes (they see it by their next periodic read): {}", change,
          e.toString());
    }
  }

  /** On the NATS dispatcher's thread: read, then applied on the changes thread. */
  private void received(byte[] data, Changes here) {
    ChangeMessages.Received change;
    try {
      change = messages.read(data);
    } catch (ChangeMessages.Unreadable e) {
      drop("a message of " + data.length + " bytes: " + e.getMessage());
      return;
    }
    if (change.node().equals(node)) {
      return;
    }
    try {
      applying.execute(() -> apply(change, here));
    } catch (RejectedExecutionException e) {
      drop(change.change() + " from " + change.node() + ": " + (applying.isShutdown() ? "stopping"
          : WAITING + " changes waiting to be applied"));
    }
  }

  private void apply(ChangeMessages.Received change, Changes here) {
    try {
      here.changed(change.change());
    } catch (RuntimeException e) {
      drop(change.change() + " from " + change.node() + " not applied: " + e);
    }
  }

  private void caughtUp(Runnable catchUp) {
    try {
      applying.execute(() -> {
        try {
          catchUp.run();
          log.info("caches caught up with the changes other nodes may have made while NATS was unreachable");
        } catch (RuntimeException e) {
          log.warn("caches not caught up after NATS came back (their periodic reads will): {}", e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("stopping: caches not caught up");
    }
  }

  private void drop(String what) {
    dropped.increment();
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= LOG_EVERY.toNanos() && lastLogged.compareAndSet(last, now)) {
      log.warn("change from another node dropped: {} ({} more dropped since the last such message)", what,
          unlogged.getAndSet(0));
    } else {
      unlogged.incrementAndGet();
    }
  }

  /** Stops receiving; changes still waiting are applied for up to 5 s. The connection is the caller's. */
  @Override
  public synchronized void close() {
    if (dispatcher != null) {
      nats.removeConnectionListener(reconnects);
      nats.closeDispatcher(dispatcher);
    }
    applying.shutdown();
    try {
      applying.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
