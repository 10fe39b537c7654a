package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's one connection to NATS, named after the node (so {@code nats-server}'s connection list
 * shows which node is which). Once connected it never gives up: jnats reconnects forever, waiting
 * {@code heartbeat} between attempts, and pings every {@code heartbeat} so a frozen or unplugged
 * server is noticed within three of them instead of jnats's default four minutes. What cannot be sent
 * meanwhile fails, and the lease and registry heartbeats try again at their next beat.
 *
 * <p>The start is refused ({@link NodeLease.Refused}) when the server cannot be reached at all, or has no
 * JetStream: a node must not start believing it is part of a cluster it cannot coordinate with.
 */
public final class NatsLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsLink.class);
  /** JetStream's "stream name already in use with a different configuration": a bucket made by another configuration. */
  private static final int STREAM_NAME_IN_USE = 10058;

  private final String url;
  private final Connection connection;

  private NatsLink(String url, Connection connection) {
    this.url = url;
    this.connection = connection;
  }

  /**
   * Connects to {@code url} (several servers separated by commas) as {@code nodeName}, and adds the
   * gauge {@code sangdam_cluster_nats_connected} (1 connected, 0 not) to {@code meters}. Throws
   * {@link NodeLease.Refused} if no server answers or the one that does has no JetStream.
   */
  public static NatsLink connect(String url, String nodeName, Duration heartbeat, MeterRegistry meters) {
    requireNonNull(url, "url");
    requireNonNull(nodeName, "nodeName");
    requireNonNull(meters, "meters");
    Options options = Options.builder()
        .servers(url.split(","))
        .connectionName(nodeName)
        .maxReconnects(-1)
        .reconnectWait(heartbeat)
        .pingInterval(heartbeat)
        .maxPingsOut(3)
        .connectionListener(new Changes())
        .errorListener(new Errors())
        .build();
    Connection connection;
    try {
      connection = Nats.connect(options);
    } catch (IOException e) {
      throw new NodeLease.Refused("cannot reach the NATS server at " + url + " (cluster.natsUrl): " + e.getMessage()
          + "; start nats-server there (with -js, JetStream), or leave cluster.natsUrl empty to run a single node");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
    }
    if (!connection.getServerInfo().isJetStreamAvailable()) {
      closeQuietly(connection);
      throw new NodeLease.Refused("the NATS server at " + url + " has no JetStream; start nats-server with -js "
          + "(JetStream), or with jetstream {} in its configuration file: the nodes keep their leases and events in it");
    }
    NatsLink link = new NatsLink(url, connection);
    Gauge.builder("sangdam.cluster.nats.connected", link, l -> l.connected() ? 1 : 0)
        .description("1 while this node is connected to NATS, 0 while it is not (it then owns no center)")
        .register(meters);
    log.info("node {} connected to NATS at {} (JetStream available)", nodeName, connection.getConnectedUrl());
    return link;
  }

  /**
   * Only reports: the connection's own status ({@link #connected()}) is the truth, since jnats may hand
   * its events to the listener on more than one thread, and so out of order.
   */
  private static final class Changes implements ConnectionListener {
    /**
     * Whether the disconnection was reported since the connection was last up: jnats says DISCONNECTED again
     * after each failed attempt to reconnect, every heartbeat, which would fill the log through an outage.
     */
    private final AtomicBoolean reported = new AtomicBoolean();

    @Override
    public void connectionEvent(Connection connection, Events event) {
      switch (event) {
        case DISCONNECTED -> {
          if (reported.compareAndSet(false, true)) {
            log.warn("disconnected from NATS; reconnecting");
          } else {
            log.debug("still not connected to NATS");
          }
        }
        case RECONNECTED -> {
          reported.set(false);
          log.info("reconnected to NATS at {}", connection.getConnectedUrl());
        }
        case LAME_DUCK -> log.warn("the NATS server at {} is shutting down (lame duck mode)",
            connection.getConnectedUrl());
        default -> log.debug("NATS connection: {}", event);
      }
    }
  }

  /**
   * jnats's complaints, through this server's log: a failed attempt to reconnect at debug level (the
   * disconnection itself is logged once, by {@link Changes}), the rest as warnings.
   */
  private static final class Errors implements ErrorListener {
    @Override
    public void errorOccurred(Connection connection, String error) {
      log.warn("NATS: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
      if (connection.getStatus() == Connection.Status.CONNECTED) {
        log.warn("NATS: {}", exception.toString());
      } else {
        log.debug("NATS, while not connected: {}", exception.toString());
      }
    }

    @Override
    public void slowConsumerDetected(Connection connection, Consumer consumer) {
      log.warn("NATS: a subscriber of this node is too slow, and messages to it are dropped");
    }
  }

  /** Whether the connection is up now; false while jnats reconnects, and after {@link #close()}. */
  public boolean connected() {
    return connection.getStatus() == Connection.Status.CONNECTED;
  }

  /** What {@code cluster.natsUrl} says, for messages. */
  public String url() {
    return url;
  }

  /** The connection itself, for core NATS (requests between nodes, broadcasts). */
  public Connection connection() {
    return connection;
  }

  public JetStream jetStream() {
    try {
      return connection.jetStream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use JetStream at " + url, e);
    }
  }

  /**
   * The key-value bucket {@code name}, created if missing: on disk (it outlives a restart of
   * nats-server), one value per key (no history), each value expiring {@code ttl} after it was last
   * written, so the key of an owner that stopped writing disappears by itself. A bucket created
   * with another {@code ttl} (a node configured otherwise, or an older one) is changed to this one.
   */
  public KeyValue bucket(String name, Duration ttl) {
    KeyValueConfiguration config = KeyValueConfiguration.builder().name(name).ttl(ttl).storageType(StorageType.File)
        .maxHistoryPerKey(1).build();
    try {
      KeyValueManagement buckets = connection.keyValueManagement();
      try {
        buckets.create(config);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NAME_IN_USE) {
          throw e;
        }
        buckets.update(config);
      }
      return connection.keyValue(name);
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot open the key-value bucket " + name + " on NATS at " + url + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
