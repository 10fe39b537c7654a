package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node owns each center, as every node sees it: a watch on the center leases' bucket, so
 * asking costs no round trip. An entry not renewed for a lease period counts as nobody's (the bucket
 * lets it expire without a word to watchers), so calls for a dead owner's center are refused
 * {@code unavailable} at once instead of waiting for it to answer.
 */
public final class CenterOwnerTable implements ForwardedCalls.CenterOwners, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CenterOwnerTable.class);

  private final KeyValue kv;
  private final Duration lease;
  private final LongSupplier nanoTime;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Long, Seen> owners = new ConcurrentHashMap<>();
  private NatsKeyValueWatchSubscription watch;
  private volatile LongConsumer newOwner = centerId -> { };

  /** {@code lease}: how long an owner's lease outlives its last renewal (cluster.centerLeaseSeconds). */
  public CenterOwnerTable(Connection nats, Duration lease, LongSupplier nanoTime) {
    requireNonNull(nats, "nats");
    this.lease = requireNonNull(lease, "lease");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    try {
      this.kv = nats.keyValue(CenterLeases.BUCKET);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the NATS bucket " + CenterLeases.BUCKET + ": " + e.getMessage(), e);
    }
  }

  /**
   * Told, on NATS's thread, of each center that has a new owner (another node, or the same one under a new
   * fence), whenever this node learns of it: also when it learns late, after a NATS outage during which a node
   * took the center and said so to nodes that could not hear it. Set before {@link #start}.
   */
  public void onNewOwner(LongConsumer told) {
    this.newOwner = requireNonNull(told, "told");
  }

  /** Starts watching; the leases' bucket must exist (CenterLeases creates it). */
  public void start() {
    try {
      watch = kv.watchAll(new KeyValueWatcher() {
        @Override
        public void watch(KeyValueEntry entry) {
          seen(entry);
        }

        @Override
        public void endOfData() {
        }
      });
    } catch (IOException | JetStreamApiException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot watch the center leases: " + e.getMessage(), e);
    }
  }

  private void seen(KeyValueEntry entry) {
    long centerId;
    try {
      centerId = Long.parseLong(entry.getKey());
    } catch (NumberFormatException e) {
      return;
    }
    if (entry.getOperation() != KeyValueOperation.PUT) {
      owners.remove(centerId);
      return;
    }
    try {
      CenterLeases.Value value = json.readValue(entry.getValue(), CenterLeases.Value.class);
      Seen before = owners.put(centerId, new Seen(value.node(), value.fence(), nanoTime.getAsLong()));
      // A lease is created under fence 0 and shows its fence once the database gave it one; renewals keep it.
      if (value.fence() != 0 && (before == null || before.fence != value.fence() || !before.node.equals(value.node()))) {
        newOwner.accept(centerId);
      }
    } catch (IOException e) {
      log.warn("center {}'s lease does not parse: {}", centerId, e.getMessage());
      owners.remove(centerId);
    }
  }

  @Override
  public Optional<String> ownerOf(long centerId) {
    Seen s = owners.get(centerId);
    if (s == null || nanoTime.getAsLong() - s.at > lease.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(s.node);
  }

  /**
   * What the watch said proved stale: forgotten until the lease's next write (within a heartbeat).
   * No read here: this runs on NATS's own thread, which a read's answer would have to come through.
   */
  @Override
  public void forget(long centerId) {
    owners.remove(centerId);
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.unsubscribe();
    }
  }

  private record Seen(String node, long fence, long at) {}
}
