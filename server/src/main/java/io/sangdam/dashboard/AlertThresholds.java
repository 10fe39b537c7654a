package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The centers' alert thresholds as the live board reads them once a second: kept in memory per center and
 * read again after {@link #REFRESH}, so a change made on another node shows within about that long, and one
 * made here at once. Blocks on the database when a center's are not held.
 */
public final class AlertThresholds {
  public static final Duration REFRESH = Duration.ofSeconds(10);

  private final AlertThresholdStore store;
  private final LoadingCache<Long, List<AlertThreshold>> byCenter;

  public AlertThresholds(AlertThresholdStore store) {
    this.store = requireNonNull(store, "store");
    this.byCenter = Caffeine.newBuilder().expireAfterWrite(REFRESH).build(store::thresholds);
  }

  public List<AlertThreshold> of(long centerId) {
    return byCenter.get(centerId);
  }

  /** The center's own threshold, if it has one. */
  public Optional<AlertThreshold> center(long centerId) {
    return of(centerId).stream().filter(t -> t.queueId() == null).findFirst();
  }

  /** The queue's own threshold, if it has one. */
  public Optional<AlertThreshold> queue(long centerId, long queueId) {
    return of(centerId).stream().filter(t -> t.queueId() != null && t.queueId() == queueId).findFirst();
  }

  /** Sets the center's thresholds (limits all null are dropped: no alert is no row). */
  public void replace(long centerId, List<AlertThreshold> thresholds) {
    store.replace(centerId, thresholds.stream()
        .filter(t -> t.waiting() != null || t.longestWaitSeconds() != null).toList());
    byCenter.invalidate(centerId);
  }
}
