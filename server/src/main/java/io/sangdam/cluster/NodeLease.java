package io.sangdam.cluster;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's claim to serve the database alone: taken at start before anything reads or changes a
 * conversation, renewed every {@code heartbeat} on a thread of its own (never behind chat work), and
 * released on a clean stop. A node that finds the lease held by another live node refuses to start.
 *
 * <p>A node may take back its own lease at once, without waiting for it to expire: the same node
 * restarting after a crash. "The same" is the node id kept in its data directory, which the caller
 * holds locked ({@link DataDirectory}), so a live server with that id is this one; or a configured
 * {@code cluster.nodeName}, promised unique. If the lease is nevertheless taken from a live node
 * (it was frozen past its expiry), that node learns it at its next heartbeat, or sooner from the
 * fence in its message writer's inserts ({@link #token()}), and stops.
 */
public final class NodeLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeLease.class);

  private final LeaseStore store;
  private final Node node;
  private final Duration lease;
  private final Duration heartbeat;
  private final Runnable lost;
  private final String token;
  private ScheduledExecutorService beats;
  private volatile boolean held;
  /** Held by every node of a cluster together: one node stopping leaves it to the others' heartbeats. */
  private final boolean shared;

  /** {@code lost} runs (on the heartbeat thread) if another node takes the lease from this one. */
  public NodeLease(LeaseStore store, Node node, Duration lease, Duration heartbeat, Runnable lost) {
    this(store, node, lease, heartbeat, lost, randomToken(), false);
  }

  private NodeLease(LeaseStore store, Node node, Duration lease, Duration heartbeat, Runnable lost, String token,
      boolean shared) {
    this.shared = shared;
    this.store = store;
    this.node = node;
    this.lease = lease;
    this.heartbeat = heartbeat;
    this.lost = lost;
    this.token = token;
  }

  /**
   * The lease as every node of a cluster holds it together: each claims and renews it as the one
   * holder "cluster" ({@link #CLUSTER}), so a server started without {@code cluster.natsUrl} on the
   * cluster's database refuses to start while any node of it lives, and a node of a cluster refuses a
   * database that a server alone is using. Within the cluster, the center leases decide who does what.
   */
  public static NodeLease sharedByCluster(LeaseStore store, Node node, Duration lease, Duration heartbeat,
      Runnable lost) {
    Node cluster = new Node(Optional.of(CLUSTER), CLUSTER, node.host(), node.port(), node.pid(), node.dataDir());
    return new NodeLease(store, cluster, lease, heartbeat, lost, CLUSTER, true);
  }

  /** The holder's name and id, and the token, of a database a cluster serves. */
  public static final String CLUSTER = "cluster";

  private static String randomToken() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /**
   * Refuses the start ({@link Refused}) if another live node holds the lease; reads only, so it may
   * run before the migrations: a newer server must not change the schema under a live node.
   */
  public void refuseIfHeldByAnother() {
    Optional<LeaseStore.Holder> holder = store.liveHolder();
    if (holder.isPresent() && !holder.get().node().sameAs(node)) {
      throw new Refused(refusal(holder.get()));
    }
  }

  /** Takes the lease, then keeps renewing it; throws {@link Refused} if another live node holds it. */
  public synchronized void claim() {
    Optional<LeaseStore.Holder> holder = store.claim(node, token, lease);
    if (holder.isPresent()) {
      throw new Refused(refusal(holder.get()));
    }
    held = true;
    log.info("node {} holds the database's lease (renewed every {} s, expires {} s after the last renewal)",
        node.describe(), heartbeat.toSeconds(), lease.toSeconds());
    beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "node-lease");
      t.setDaemon(true);
      return t;
    });
    beats.scheduleWithFixedDelay(this::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Random per start; the lease row carries it while this node holds the lease: the fencing token of its writes. */
  public String token() {
    return token;
  }

  private String refusal(LeaseStore.Holder holder) {
    return "this database is in use by node " + holder.node().describe() + " since " + holder.since()
        + ", last heartbeat " + holder.silentFor().toSeconds() + " s ago; stop it first, or if it is gone, start "
        + "again after its lease expires in " + Math.max(0, holder.expiresIn().toSeconds()) + " s"
        + " (cluster.leaseSeconds after its last heartbeat)";
  }

  private void renew() {
    try {
      if (store.renew(token, lease)) {
        return;
      }
    } catch (RuntimeException e) {
      // The database is away; the lease holds for a while, and nobody can take it over meanwhile.
      log.warn("could not renew the database's lease, trying again in {} s: {}", heartbeat.toSeconds(),
          e.getMessage());
      return;
    }
    held = false;
    beats.shutdown();
    log.error("another node took over the database's lease (one with this node's name, or this node was silent past "
        + "its expiry); stopping");
    lost.run();
  }

  /** Stops renewing and ends the lease now (if still held), so the next node need not wait for it to expire. */
  @Override
  public synchronized void close() {
    if (beats != null) {
      beats.shutdownNow();
    }
    if (held && !shared) {
      held = false;
      try {
        store.release(token);
      } catch (RuntimeException e) {
        log.warn("could not release the database's lease; the next node waits until it expires: {}", e.getMessage());
      }
    }
  }

  /** The start is refused: another live node serves this database (or uses this data directory). */
  public static final class Refused extends IllegalStateException {
    Refused(String message) {
      super(message);
    }
  }
}
