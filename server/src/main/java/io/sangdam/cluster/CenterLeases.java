package io.sangdam.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node owns each center: a lease per center in the JetStream KV bucket {@value #BUCKET}
 * (key: the center's id; value: {@code {"node","fence","since"}}), whose TTL is the lease period,
 * so a dead owner's key expires. A node takes a free center with {@code create} (one of the nodes
 * trying at once wins), bumps the center's fence in the database ({@link CenterFences}) and only
 * then owns it; it renews each lease every heartbeat with an {@code update} on the revision it
 * last wrote, and a failed update means another node holds the center now.
 *
 * <p>Which free centers a node takes: those it prefers ({@code cluster.centers}), always; others
 * while it owns fewer than its fair share (the centers over the live nodes, rounded up) and no other
 * live node prefers them; and any center free for longer than a lease period, so none stays
 * unowned. A node hands a center back (stops, then deletes its key) when a live node that prefers
 * it is there and this one does not: a regional center goes home when its node returns.
 *
 * <p>A node that cannot reach NATS cannot renew: once a lease period has passed on its own
 * monotonic clock since the last renewal that NATS accepted, it stops owning the center, by which
 * time the key has expired on NATS and another node may take it. {@link #token} answers nothing
 * for such a center even before the heartbeat notices, so no write goes out on a stale lease.
 */
public final class CenterLeases implements CenterFencing, AutoCloseable {
  static final String BUCKET = "sangdam-centers";
  private static final Logger log = LoggerFactory.getLogger(CenterLeases.class);

  /** Told on the leases' thread, which renews every lease: both must return quickly. */
  public interface Listener {
    /** This node owns the center from now on, its writes carrying {@code fence}: rebuild its state from the database. */
    void acquired(long centerId, long fence);

    /** This node no longer owns the center: stop deciding for it. Told before anything else is done about it. */
    void lost(long centerId);
  }

  /** A live node of the cluster and the centers ({@code tenant/center}) it prefers. */
  public record Member(String node, Set<String> prefers) {}

  /** A center this node owns: its token, since when (wall clock), and when NATS last accepted its renewal. */
  public record Owned(long fence, Instant since, Instant renewedAt) {}

  /** A center's lease as NATS has it: who owns it under which fence, since when, and how long ago it was last renewed. */
  public record Lease(long centerId, String node, long fence, Instant since, Duration renewedAgo) {}

  /** What the key holds. */
  record Value(String node, long fence, String since) {}

  /** A lease held: the revision last written, and the monotonic time just before that write was sent. */
  private record Held(long revision, long fence, Instant since, Instant renewedAt, long renewedNanos) {}

  private final KeyValue kv;
  private final String node;
  private final Set<String> preferred;
  private final Duration lease;
  private final Duration heartbeat;
  private final CenterFences fences;
  private final Supplier<? extends Collection<CenterRef>> centers;
  private final Supplier<? extends Collection<Member>> members;
  /** Handed in at {@link #start}: nothing is claimed, so nobody told, before. */
  private volatile Listener listener;
  private final Clock clock;
  private final LongSupplier ticker;
  private final ObjectMapper json = new ObjectMapper();
  /** Written by the leases' thread only; read by every write through {@link #token}. */
  private final Map<Long, Held> held = new ConcurrentHashMap<>();
  /** When each center not owned by this node was first seen free (monotonic), by the leases' thread. */
  private final Map<Long, Long> freeSince = new HashMap<>();
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "center-leases");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean paused;
  /** Nodes that left the cluster whose leases may still be there: freed at the leases' next tick. */
  private final Set<String> goneOwners = ConcurrentHashMap.newKeySet();

  /**
   * Creates the bucket if it is missing (or sets its TTL to {@code lease}). {@code centers}: every
   * center of the directory; {@code members}: the live nodes of the cluster (this one may be among
   * them). Nothing is claimed before {@link #start()}.
   */
  public CenterLeases(Connection nats, String node, Set<String> preferred, Duration lease, Duration heartbeat,
      CenterFences fences, Supplier<? extends Collection<CenterRef>> centers,
      Supplier<? extends Collection<Member>> members, Clock clock) {
    this(nats, node, preferred, lease, heartbeat, fences, centers, members, clock, System::nanoTime);
  }

  CenterLeases(Connection nats, String node, Set<String> preferred, Duration lease, Duration heartbeat,
      CenterFences fences, Supplier<? extends Collection<CenterRef>> centers,
      Supplier<? extends Collection<Member>> members, Clock clock, LongSupplier ticker) {
    this.node = node;
    this.preferred = Set.copyOf(preferred);
    this.lease = lease;
    this.heartbeat = heartbeat;
    this.fences = fences;
    this.centers = centers;
    this.members = members;
    this.clock = clock;
    this.ticker = ticker;
    // A request NATS does not answer within a heartbeat is given up: the next heartbeat tries again.
    KeyValueOptions options = KeyValueOptions.builder().jsRequestTimeout(heartbeat).build();
    try {
      KeyValueConfiguration bucket = KeyValueConfiguration.builder().name(BUCKET).maxHistoryPerKey(1).ttl(lease)
          .storageType(StorageType.File).build();
      KeyValueManagement buckets = nats.keyValueManagement(options);
      try {
        buckets.create(bucket);
      } catch (JetStreamApiException exists) {
        buckets.update(bucket);
      }
      this.kv = nats.keyValue(BUCKET, options);
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot open the NATS bucket " + BUCKET + ": " + e.getMessage(), e);
    }
  }

  /**
   * Claims and renews every heartbeat from now on, on a thread of its own, telling {@code listener}
   * of every center taken and lost (whoever acts on a center is built after the leases, whose fencing
   * its writes check).
   */
  public void start(Listener listener) {
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
    beats.scheduleWithFixedDelay(this::beat, 0, heartbeat.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void beat() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.error("center leases: heartbeat failed", e);
    }
  }

  /** One heartbeat: expire what was not renewed in time, renew the rest, hand back, claim. */
  void tick() {
    if (paused) {
      return;
    }
    expireUnrenewed();
    if (!renew()) {
      return;
    }
    Collection<Member> live;
    try {
      live = members.get();
    } catch (IllegalStateException unanswered) {
      // Which nodes live is NATS's to say: without it nothing is claimed or handed back this beat.
      log.debug("center leases: the live nodes are not known ({}); nothing claimed", unanswered.getMessage());
      return;
    }
    Map<Long, CenterRef> all = centers.get().stream()
        .collect(Collectors.toMap(CenterRef::id, c -> c, (a, b) -> a));
    freeLeasesOfGoneOwners(all);
    handBack(all, live);
    claim(all, live);
  }

  private void expireUnrenewed() {
    long now = ticker.getAsLong();
    for (Map.Entry<Long, Held> e : held.entrySet()) {
      if (!current(e.getValue(), now)) {
        log.warn("center {}: lease not renewed for {} (NATS unreachable?): no longer owned", e.getKey(), lease);
        lose(e.getKey());
      }
    }
  }

  /**
   * Renews every lease held; false when NATS did not answer, and the leases not yet tried wait for the next
   * beat: each would wait its own timeout, and keep this thread from giving up those that lapse meanwhile.
   */
  private boolean renew() {
    for (Map.Entry<Long, Held> e : held.entrySet()) {
      long centerId = e.getKey();
      Held h = e.getValue();
      long sent = ticker.getAsLong();
      if (!current(h, sent)) {
        log.warn("center {}: lease not renewed for {} (NATS unreachable?): no longer owned", centerId, lease);
        lose(centerId);
        continue;
      }
      try {
        long revision = kv.update(key(centerId), value(h.fence(), h.since()), h.revision());
        held.put(centerId, new Held(revision, h.fence(), h.since(), clock.instant(), sent));
      } catch (JetStreamApiException e2) {
        OptionalLong ours = ownRevision(centerId, h);
        if (ours.isPresent()) {
          // An earlier renewal NATS applied but answered too late: the lease is still this node's.
          held.put(centerId, new Held(ours.getAsLong(), h.fence(), h.since(), h.renewedAt(), h.renewedNanos()));
          continue;
        }
        log.warn("center {}: lease renewal refused ({}): another node holds it", centerId, e2.getMessage());
        lose(centerId);
      } catch (IOException e2) {
        log.debug("center {}: lease not renewed this time: {}", centerId, e2.getMessage());
        return false;
      }
    }
    return true;
  }

  /** The revision of the center's lease if it still holds exactly this node's value (its node and fence). */
  private OptionalLong ownRevision(long centerId, Held h) {
    try {
      KeyValueEntry entry = kv.get(key(centerId));
      if (entry != null && entry.getOperation() == KeyValueOperation.PUT
          && java.util.Arrays.equals(entry.getValue(), value(h.fence(), h.since()))) {
        return OptionalLong.of(entry.getRevision());
      }
    } catch (IOException | JetStreamApiException e) {
      log.debug("center {}: lease not read back: {}", centerId, e.getMessage());
    }
    return OptionalLong.empty();
  }

  /**
   * A node left the cluster (NATS says nobody listens for it any more, or its entry expired): what is left
   * of its leases is freed now, on the leases' thread, rather than when they expire, so its centers are taken
   * over sooner. Safe even were it alive after all: its writes carry its fence, which the next owner's
   * replaces in the database.
   */
  public void ownerGone(String owner) {
    if (!owner.equals(node)) {
      goneOwners.add(owner);
      try {
        beats.execute(this::beat);
      } catch (RejectedExecutionException stopping) {
        log.debug("center leases: stopping, {}'s leases left to expire", owner);
      }
    }
  }

  private void freeLeasesOfGoneOwners(Map<Long, CenterRef> all) {
    for (String owner : List.copyOf(goneOwners)) {
      goneOwners.remove(owner);
      for (long centerId : all.keySet()) {
        if (held.containsKey(centerId)) {
          continue;
        }
        try {
          KeyValueEntry entry = kv.get(key(centerId));
          if (entry != null && entry.getOperation() == KeyValueOperation.PUT
              && owner.equals(json.readValue(entry.getValue(), Value.class).node())) {
            kv.delete(key(centerId), entry.getRevision());
            log.info("center {}: its owner {} is gone; lease freed", centerId, owner);
          }
        } catch (IOException | JetStreamApiException e) {
          log.debug("center {}: the lease of gone node {} not freed ({}); it expires", centerId, owner, e.getMessage());
        }
      }
    }
  }

  /** Centers this node holds without preferring them, that a live other node prefers: stopped, then freed. */
  private void handBack(Map<Long, CenterRef> all, Collection<Member> live) {
    Set<String> preferredByOthers = preferredByOthers(live);
    for (Map.Entry<Long, Held> e : held.entrySet()) {
      CenterRef center = all.get(e.getKey());
      if (center != null && !preferred.contains(center.code()) && preferredByOthers.contains(center.code())) {
        log.info("center {} ({}): handed back to the node that prefers it", center.id(), center.code());
        lose(center.id());
        try {
          kv.delete(key(center.id()), e.getValue().revision());
        } catch (IOException | JetStreamApiException failed) {
          log.debug("center {}: key not deleted ({}); it expires", center.id(), failed.getMessage());
        }
      }
    }
  }

  private void claim(Map<Long, CenterRef> all, Collection<Member> live) {
    long nodes = Stream.concat(live.stream().map(Member::node), Stream.of(node)).distinct().count();
    long share = (all.size() + nodes - 1) / nodes;
    Set<String> preferredByOthers = preferredByOthers(live);
    List<CenterRef> ordered = new ArrayList<>(all.values());
    ordered.sort(Comparator.comparing((CenterRef c) -> !preferred.contains(c.code())).thenComparing(CenterRef::id));
    freeSince.keySet().retainAll(all.keySet());
    for (CenterRef center : ordered) {
      if (held.containsKey(center.id())) {
        continue;
      }
      boolean fair = held.size() < share && !preferredByOthers.contains(center.code());
      if (preferred.contains(center.code()) || fair || longFree(center.id())) {
        tryClaim(center);
      }
    }
  }

  /** Whether the center's key has been missing since a lease period ago or longer (a get each heartbeat while it is watched). */
  private boolean longFree(long centerId) {
    try {
      if (kv.get(key(centerId)) != null) {
        freeSince.remove(centerId);
        return false;
      }
    } catch (IOException | JetStreamApiException e) {
      return false;
    }
    long now = ticker.getAsLong();
    return now - freeSince.computeIfAbsent(centerId, id -> now) >= lease.toNanos();
  }

  /** KV create, then the fence, then the listener: the center is this node's only once the fence is its. */
  private void tryClaim(CenterRef center) {
    long sent = ticker.getAsLong();
    Instant since = clock.instant();
    long revision;
    try {
      revision = kv.create(key(center.id()), value(0, since));
    } catch (JetStreamApiException taken) {
      freeSince.remove(center.id());
      return;
    } catch (IOException e) {
      return;
    }
    freeSince.remove(center.id());
    long fence;
    try {
      fence = fences.take(center.id(), node);
    } catch (RuntimeException e) {
      log.warn("center {}: lease won, but its fence could not be taken ({}): freed again", center.id(), e.getMessage());
      try {
        kv.delete(key(center.id()), revision);
      } catch (IOException | JetStreamApiException failed) {
        log.debug("center {}: key not deleted ({}); it expires", center.id(), failed.getMessage());
      }
      return;
    }
    try {
      revision = kv.update(key(center.id()), value(fence, since), revision);
    } catch (JetStreamApiException e) {
      log.warn("center {}: lease lost while taking its fence ({})", center.id(), e.getMessage());
      return;
    } catch (IOException e) {
      log.debug("center {}: fence {} not yet shown in its lease: {}", center.id(), fence, e.getMessage());
    }
    held.put(center.id(), new Held(revision, fence, since, clock.instant(), sent));
    log.info("center {} ({}): owned by {} under fence {}", center.id(), center.code(), node, fence);
    tell(() -> listener.acquired(center.id(), fence), center.id());
  }

  private void lose(long centerId) {
    held.remove(centerId);
    tell(() -> listener.lost(centerId), centerId);
  }

  private static void tell(Runnable call, long centerId) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("center {}: the lease listener failed", centerId, e);
    }
  }

  private Set<String> preferredByOthers(Collection<Member> live) {
    return live.stream().filter(m -> !m.node().equals(node)).flatMap(m -> m.prefers().stream())
        .collect(Collectors.toSet());
  }

  private boolean current(Held h, long now) {
    return now - h.renewedNanos() < lease.toNanos();
  }

  @Override
  public OptionalLong token(long centerId) {
    Held h = held.get(centerId);
    return h != null && current(h, ticker.getAsLong()) ? OptionalLong.of(h.fence()) : OptionalLong.empty();
  }

  /** The centers this node owns, by id. */
  public Map<Long, Owned> owned() {
    Map<Long, Owned> owned = new HashMap<>();
    held.forEach((id, h) -> owned.put(id, new Owned(h.fence(), h.since(), h.renewedAt())));
    return owned;
  }

  /**
   * Every center's lease as NATS has it now, by center id (a free center has none). Throws
   * {@link IllegalStateException} when NATS does not answer.
   */
  public List<Lease> leases() {
    List<Lease> leases = new ArrayList<>();
    Instant now = clock.instant();
    for (CenterRef center : centers.get()) {
      KeyValueEntry entry;
      try {
        entry = kv.get(key(center.id()));
      } catch (IOException | JetStreamApiException e) {
        throw new IllegalStateException("NATS did not answer: " + e.getMessage(), e);
      }
      if (entry == null) {
        continue;
      }
      try {
        Value v = json.readValue(entry.getValue(), Value.class);
        leases.add(new Lease(center.id(), v.node(), v.fence(), Instant.parse(v.since()),
            Duration.between(entry.getCreated().toInstant(), now)));
      } catch (IOException | RuntimeException unreadable) {
        log.warn("center {}: lease value not readable: {}", center.id(), unreadable.getMessage());
      }
    }
    leases.sort(Comparator.comparingLong(Lease::centerId));
    return leases;
  }

  /** Stops renewing as a long pause (GC, a frozen VM) would: the leases lapse while this node still believes it owns them. */
  void pauseRenewals() {
    paused = true;
  }

  void resumeRenewals() {
    paused = false;
  }

  /** Stops the heartbeat as a crash would: nothing released, nobody told. */
  void halt() {
    stopBeating();
  }

  /** Stops claiming and renewing, then gives every center up: told lost first, then its key deleted, so another node takes it at once. */
  @Override
  public void close() {
    stopBeating();
    for (Map.Entry<Long, Held> e : held.entrySet()) {
      lose(e.getKey());
      try {
        kv.delete(key(e.getKey()), e.getValue().revision());
      } catch (IOException | JetStreamApiException failed) {
        log.debug("center {}: key not deleted ({}); it expires", e.getKey(), failed.getMessage());
      }
    }
  }

  private void stopBeating() {
    beats.shutdown();
    try {
      if (!beats.awaitTermination(heartbeat.multipliedBy(10).toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
        log.warn("center leases: the heartbeat did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String key(long centerId) {
    return Long.toString(centerId);
  }

  private byte[] value(long fence, Instant since) {
    try {
      return json.writeValueAsBytes(new Value(node, fence, since.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
