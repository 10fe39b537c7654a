package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import io.nats.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconnects a NATS connection that says it is connected but gets no PING answered. jnats 2.24.1
 * sometimes comes out of a reconnect (a NATS server restarted) with its writer still reading the
 * reconnect buffer, which nothing fills any more: everything published after it (events, pulls of
 * the consumer, lease renewals) waits in the other queue forever while the status says CONNECTED
 * (the client's queue switch, nats-io/nats.java#1444). Seen in JetStreamConversationEventsIT's
 * restart test about one run in three; a forced reconnect starts the writer afresh.
 */
public final class ConnectionWatchdog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionWatchdog.class);
  /** How often the connection is tried, and how long a PING may take: far above a healthy round trip. */
  static final Duration EVERY = Duration.ofSeconds(2);
  static final Duration PONG_WITHIN = Duration.ofSeconds(3);

  private final Connection nats;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "nats-watchdog");
    t.setDaemon(true);
    return t;
  });

  public ConnectionWatchdog(Connection nats) {
    this.nats = requireNonNull(nats, "nats");
  }

  public void start() {
    thread.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (nats.getStatus() != Connection.Status.CONNECTED) {
      return;
    }
    try {
      nats.flush(PONG_WITHIN);
    } catch (TimeoutException e) {
      log.warn("NATS connection to {} says it is connected but got no PING answered in {} s: reconnecting",
          nats.getConnectedUrl(), PONG_WITHIN.toSeconds());
      reconnect();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Closed or reconnecting meanwhile: the client is on it already.
      log.debug("NATS connection check skipped: {}", e.toString());
    }
  }

  private void reconnect() {
    try {
      nats.forceReconnect();
    } catch (IOException e) {
      log.warn("forced NATS reconnect failed (the client goes on trying): {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
