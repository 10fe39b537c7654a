package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live nodes of the cluster, each under its unique name in the NATS key-value bucket
 * {@value #BUCKET}. A node's entry expires {@code ttl} after it was last written, and the node writes
 * it again every {@code heartbeat} (on a thread of its own, never behind chat work), so the entry of a
 * node that died, or lost NATS, disappears by itself.
 *
 * <p>A second node under a name already registered by another node id refuses to start; a node with
 * the same id (the same data directory, restarting after a crash) takes its entry back at once. Each
 * heartbeat replaces the entry only at the revision this node last wrote: if another node wrote it in
 * between (one with this node's id, found on a copied data directory, or one of its name that started
 * while this node's entry had expired), {@code lost} runs.
 * An entry that vanished meanwhile (it expired while NATS was away, or another node counted this one out,
 * see {@link #gone}) is written again, and the members are told this node rejoined.
 *
 * <p>After each heartbeat a node looks at the others: one whose heartbeat is late and for whom NATS says
 * nobody listens, at two looks a reconnect's wait apart, has its entry deleted, so it is counted out at once
 * rather than when its entry expires.
 */
public final class NodeRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
  public static final String BUCKET = "sangdam-nodes";
  /** JetStream's "wrong last sequence": the key was not at the revision the write expected. */
  private static final int WRONG_LAST_SEQUENCE = 10071;
  /** What a NATS key-value key may be (no leading or trailing dot). */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=-]([A-Za-z0-9_=.-]*[A-Za-z0-9_=-])?");
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);
  /** Where a node answers the others' probes: while it is connected to NATS, something listens there. */
  private static final String ALIVE = "sangdam.alive.";
  /** Tries at start when the entry changes between a failed create and the read that follows it. */
  private static final int START_ATTEMPTS = 3;

  private final KeyValue nodes;
  private final NodeInfo self;
  private final byte[] entry;
  private final Duration ttl;
  private final Duration heartbeat;
  /** A heartbeat older than this (a quarter of a heartbeat overdue) is late: its node is probed. */
  private final Duration late;
  private final Clock clock;
  private final Runnable lost;
  private final ThrottledLog warnings = new ThrottledLog(log, WARN_EVERY, Ticker.systemTicker());
  /** The revision of this node's entry as it last wrote it; touched only under this object's lock. */
  private long revision;
  private boolean registered;
  /** When NATS last accepted this node's entry, by this node's clock: what it can say of itself while NATS is away. */
  private volatile Instant renewedAt;
  private ScheduledExecutorService beats;
  private volatile Members members = Members.NONE;
  /** The other nodes seen live at the last look; touched only on the heartbeat thread. */
  private Set<String> othersSeen = Set.of();
  private final Connection connection;
  /** Answers the other nodes' probes ({@link #gone}) while this node is connected. */
  private Dispatcher answering;
  /**
   * Since when (monotonic) every heartbeat has reached NATS, or 0 after one that did not: a node that
   * just came back to NATS does not declare the others gone, who may be reconnecting themselves.
   */
  private long upSince;
  /** Late nodes NATS said nobody listens for, since when (monotonic); touched only on the heartbeat thread. */
  private final Map<String, Long> suspects = new HashMap<>();

  /**
   * {@code ttl}: how long an entry outlives its node's last heartbeat ({@code cluster.centerLeaseSeconds});
   * {@code lost} runs on the heartbeat thread if another node writes this node's entry.
   */
  public NodeRegistry(NatsLink link, NodeInfo self, Duration ttl, Duration heartbeat, Clock clock, Runnable lost) {
    requireNonNull(link, "link");
    this.self = requireNonNull(self, "self");
    if (!KEY.matcher(self.name()).matches()) {
      throw new NodeLease.Refused("the node name '" + self.name() + "' cannot name a node on NATS: give the node a "
          + "cluster.nodeName of letters, digits, '-', '_' and '.' (not first or last)");
    }
    this.ttl = requireNonNull(ttl, "ttl");
    this.heartbeat = requireNonNull(heartbeat, "heartbeat");
    this.late = heartbeat.multipliedBy(5).dividedBy(4);
    this.clock = requireNonNull(clock, "clock");
    this.lost = requireNonNull(lost, "lost");
    this.entry = self.toJson();
    this.nodes = link.bucket(BUCKET, ttl);
    this.connection = link.connection();
  }

  /**
   * Registers this node, then keeps its entry alive. Throws {@link NodeLease.Refused}, naming the
   * other node, when a live node of another id holds this node's name.
   */
  public synchronized void register() {
    try {
      revision = claim();
      renewedAt = clock.instant();
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot register node " + self.name() + " on NATS: " + e.getMessage(), e);
    }
    registered = true;
    upSince = System.nanoTime();
    answering = connection.createDispatcher(probe -> {
      if (probe.getReplyTo() != null) {
        connection.publish(probe.getReplyTo(), entry);
      }
    });
    answering.subscribe(ALIVE + self.name());
    log.info("node {} registered with the cluster (its entry expires {} ms after its last heartbeat, every {} ms)",
        self.describe(), ttl.toMillis(), heartbeat.toMillis());
    beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "node-registry");
      t.setDaemon(true);
      return t;
    });
    beats.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Creates the entry, or takes it back from an earlier start of this node; returns its revision. */
  private long claim() throws IOException, JetStreamApiException {
    for (int attempt = 1; ; attempt++) {
      try {
        return nodes.create(self.name(), entry);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE || attempt == START_ATTEMPTS) {
          throw e;
        }
      }
      KeyValueEntry held = nodes.get(self.name());
      if (held == null || held.getOperation() != KeyValueOperation.PUT) {
        continue; // it expired or was deleted since: create it again
      }
      NodeInfo holder = holder(held);
      if (!holder.id().equals(self.id())) {
        throw new NodeLease.Refused("a node named " + self.name() + " is already running at " + holder.host() + ":"
            + holder.port() + " since " + holder.startedAt() + " (pid " + holder.pid() + ", last heartbeat "
            + age(held).toMillis() + " ms ago); give this node its own cluster.nodeName (if that node is gone, its "
            + "entry expires " + ttl.toMillis() + " ms after its last heartbeat)");
      }
      try {
        log.info("node {} takes back its entry from its earlier start {}", self.name(), holder.describe());
        return nodes.update(self.name(), entry, held.getRevision());
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE || attempt == START_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private NodeInfo holder(KeyValueEntry held) {
    try {
      return NodeInfo.fromJson(held.getValue());
    } catch (IllegalArgumentException e) {
      throw new NodeLease.Refused("the name " + self.name() + " is registered in NATS's bucket " + BUCKET + " by an "
          + "entry this node cannot read (" + e.getMessage() + "); give this node its own cluster.nodeName");
    }
  }

  /**
   * From now on, each heartbeat looks at the other nodes and tells {@code members} of each that left (its
   * entry gone or expired), and of this node's entry written again after it had expired.
   */
  public void watchMembers(Members members) {
    this.members = requireNonNull(members, "members");
  }

  private synchronized void beat() {
    if (!registered) {
      return;
    }
    try {
      revision = nodes.update(self.name(), entry, revision);
      renewedAt = clock.instant();
      if (upSince == 0) {
        upSince = System.nanoTime();
      }
      lookAtOthers();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
        reconcile();
      } else {
        renewalFailed(e);
      }
    } catch (IOException | RuntimeException e) {
      // NATS is away: the entry may expire meanwhile, and is written again once NATS is back.
      renewalFailed(e);
    }
  }

  /** Said once every {@link #WARN_EVERY} while NATS stays away, not at every heartbeat. */
  private void renewalFailed(Exception e) {
    upSince = 0;
    warnings.warn("renewal", "could not renew node " + self.name() + "'s entry, trying again every "
        + heartbeat.toMillis() + " ms: " + e.getMessage());
  }

  /** The entry is not at the revision this node last wrote: find out why. */
  private void reconcile() {
    KeyValueEntry held;
    try {
      held = nodes.get(self.name());
      if (held == null || held.getOperation() != KeyValueOperation.PUT) {
        revision = nodes.create(self.name(), entry);
        renewedAt = clock.instant();
        log.info("node {}'s entry had expired (NATS was away longer than {} ms); registered again", self.name(),
            ttl.toMillis());
        members.rejoined();
        return;
      }
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      renewalFailed(e);
      return;
    }
    if (Arrays.equals(held.getValue(), entry)) {
      // This node's own write, whose answer was lost on a broken connection and sent again after.
      revision = held.getRevision();
      renewedAt = clock.instant();
      return;
    }
    registered = false;
    beats.shutdown();
    // One with this node's id (a copied data directory), or one of this name that registered while
    // this node's entry had expired (NATS out of reach for longer than the ttl).
    log.error("another node took node {}'s entry: {}; stopping", self.name(), describe(held));
    lost.run();
  }

  private static String describe(KeyValueEntry held) {
    try {
      return NodeInfo.fromJson(held.getValue()).describe();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * The live nodes, this one included, by name, each with the age of its last heartbeat; an entry
   * older than {@code ttl} that NATS has not yet removed is left out, and so is one this version cannot read.
   * Asks NATS: throws {@link IllegalStateException} when it does not answer.
   */
  public List<LiveNode> nodes() {
    List<LiveNode> live = new ArrayList<>();
    try {
      // A key written again while keys() reads the bucket may come twice: each node is listed once.
      for (String name : new TreeSet<>(nodes.keys())) {
        KeyValueEntry held = nodes.get(name);
        if (held == null || held.getOperation() != KeyValueOperation.PUT || age(held).compareTo(ttl) > 0) {
          continue;
        }
        try {
          live.add(new LiveNode(NodeInfo.fromJson(held.getValue()), age(held), held.getRevision()));
        } catch (IllegalArgumentException e) {
          log.warn("ignoring the entry {} of NATS's bucket {}: {}", name, BUCKET, e.getMessage());
        }
      }
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot list the nodes on NATS: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the nodes", e);
    }
    live.sort(Comparator.comparing(n -> n.info().name()));
    return live;
  }

  /**
   * Tells {@code members} of the nodes gone since the last look; a look NATS does not answer tells nothing.
   * A node whose heartbeat is late is probed: if NATS says nobody listens for it any more, it is gone now
   * (its entry is deleted) rather than when its entry expires.
   */
  private void lookAtOthers() {
    Set<String> live = new HashSet<>();
    try {
      for (LiveNode n : nodes()) {
        String name = n.info().name();
        if (name.equals(self.name()) || n.heartbeatAge().compareTo(late) <= 0) {
          suspects.remove(name);
          live.add(name);
        } else if (!gone(n)) {
          live.add(name);
        }
      }
    } catch (IllegalStateException e) {
      return;
    }
    suspects.keySet().retainAll(live);
    live.remove(self.name());
    for (String seen : othersSeen) {
      if (!live.contains(seen)) {
        members.left(seen);
      }
    }
    othersSeen = Set.copyOf(live);
  }

  /**
   * Whether a node whose heartbeat is late is gone from NATS: NATS answers at once that nobody listens on
   * its subject (its connection closed, as when its process died), and still does a reconnect's wait later
   * (a node whose connection dropped is listening again by then). Its entry is then deleted at the revision
   * seen late, so every node counts it out now, and its centers are free once its leases are deleted too,
   * instead of when they expire. A node that is only slow to answer (a long pause) is not gone: its
   * entries expire as before, and the fences keep it from writing after. Nor is one seen from a node that
   * has not been on NATS for a whole entry lifetime since it last lost it: the others may be reconnecting too.
   */
  private boolean gone(LiveNode n) {
    String name = n.info().name();
    long now = System.nanoTime();
    if (upSince == 0 || now - upSince < ttl.toNanos() || !nobodyListens(name)) {
      suspects.remove(name);
      return false;
    }
    long first = suspects.computeIfAbsent(name, k -> now);
    // NatsLink reconnects at once, then every heartbeat: a node whose connection dropped listens again by then.
    if (now - first < heartbeat.toNanos()) {
      return false;
    }
    suspects.remove(name);
    try {
      nodes.delete(name, n.revision());
      log.warn("node {} is gone from NATS (nobody listens for it, last heartbeat {} ms ago): counted out now",
          name, n.heartbeatAge().toMillis());
      return true;
    } catch (IOException | JetStreamApiException e) {
      // Written again since it was seen late (it is back), or NATS did not answer: it is not counted out.
      log.debug("node {}'s entry not deleted ({})", name, e.getMessage());
      return false;
    }
  }

  /**
   * Whether NATS says nobody listens on the node's subject: its "no responders" comes back within a round
   * trip. No answer within the wait (a node paused, or NATS slow) is not that: jnats would time the request
   * out only at its next clean-up, seconds later, so this waits no longer than half a heartbeat itself.
   */
  private boolean nobodyListens(String name) {
    long asked = System.nanoTime();
    CompletableFuture<Message> answer = connection.requestWithTimeout(ALIVE + name, new byte[0], heartbeat);
    try {
      answer.get(heartbeat.toMillis() / 2, TimeUnit.MILLISECONDS);
      return false;
    } catch (ExecutionException | CancellationException unanswered) {
      return answer.isCancelled() && connection.getStatus() == Connection.Status.CONNECTED
          && System.nanoTime() - asked < heartbeat.toNanos() / 2;
    } catch (TimeoutException slow) {
      answer.cancel(false);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How long ago NATS last accepted this node's entry, by this node's clock alone: it needs no NATS to answer. */
  public Duration sinceRenewed() {
    Duration age = Duration.between(renewedAt, clock.instant());
    return age.isNegative() ? Duration.ZERO : age;
  }

  /**
   * Since the entry was written, by NATS's clock against this node's: never negative, and off by
   * as much as the two clocks disagree (keep the nodes' clocks synchronised, as for the database's).
   */
  private Duration age(KeyValueEntry held) {
    Duration age = Duration.between(held.getCreated().toInstant(), clock.instant());
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** Stops the heartbeat and deletes this node's entry (if it is still this node's), so it leaves the list at once. */
  @Override
  public synchronized void close() {
    if (beats != null) {
      beats.shutdownNow();
    }
    // Closed with the connection if that went first.
    if (answering != null && answering.isActive() && connection.getStatus() != Connection.Status.CLOSED) {
      connection.closeDispatcher(answering);
    }
    if (!registered) {
      return;
    }
    registered = false;
    try {
      nodes.delete(self.name(), revision);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.warn("could not remove node {}'s entry; it expires {} ms after its last heartbeat: {}", self.name(),
          ttl.toMillis(), e.getMessage());
    }
  }

  /** Told of the cluster's members as the heartbeat finds them. */
  public interface Members {
    Members NONE = new Members() {
      @Override
      public void left(String node) {
      }

      @Override
      public void rejoined() {
      }
    };

    /**
     * {@code node}, live at the last look, is gone: it stopped, its entry expired (it died, or lost NATS for
     * longer than its entry lives), or a node counted it out (NATS said nobody listens for it, see {@link #gone}).
     */
    void left(String node);

    /** This node's entry had expired (NATS out of reach for longer than it lives) and is written again. */
    void rejoined();
  }

  /** A registered node, how long ago it last wrote its entry, and the entry's revision then. */
  public record LiveNode(NodeInfo info, Duration heartbeatAge, long revision) {}
}
