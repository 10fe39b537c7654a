package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.routing.CenterLoad;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #EVENT} webhook event: at each {@link #check()}, for the centers whose routing runs on this node
 * (so a center is watched by its owner alone, once in the cluster), each figure of the center or a queue that
 * has passed its alert limit since the last check ({@code "state":"passed"}), and each that is back under it
 * ({@code "cleared"}). A node that takes a center over starts it afresh: a figure already past its limit
 * there is reported again, once. Blocks while the engines and the database answer; run it off the event loops.
 */
public final class ThresholdAlarms {
  public static final String EVENT = "queue.threshold";
  private static final Logger log = LoggerFactory.getLogger(ThresholdAlarms.class);
  private static final long ENGINE_TIMEOUT_MILLIS = 2_000;

  /** Where an event goes: the tenant's webhooks, its data built only when one wants it. */
  public interface Publisher {
    void publish(long tenantId, String event, Supplier<Object> data);
  }

  private final Directory directory;
  private final Supplier<Set<Long>> ownCenters;
  private final LongFunction<CompletableFuture<CenterLoad>> loads;
  private final AlertThresholds thresholds;
  private final Publisher publisher;
  private final Clock clock;
  /** The figures past their limits at the last check, per center and queue (0: the center). */
  private final Map<Long, Map<Long, Set<String>>> passed = new HashMap<>();

  /** {@code ownCenters}: the centers this node routes; {@code loads}: a center's live state on this node. */
  public ThresholdAlarms(Directory directory, Supplier<Set<Long>> ownCenters,
      LongFunction<CompletableFuture<CenterLoad>> loads, AlertThresholds thresholds, Publisher publisher, Clock clock) {
    this.directory = requireNonNull(directory, "directory");
    this.ownCenters = requireNonNull(ownCenters, "ownCenters");
    this.loads = requireNonNull(loads, "loads");
    this.thresholds = requireNonNull(thresholds, "thresholds");
    this.publisher = requireNonNull(publisher, "publisher");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Compares every own center's figures with its limits and publishes what changed. One caller at a time. */
  public synchronized void check() {
    Set<Long> own = ownCenters.get();
    passed.keySet().retainAll(own);
    for (long centerId : own) {
      try {
        check(centerId);
      } catch (RuntimeException e) {
        log.warn("alert limits of center {} not checked: {}", centerId, e.toString());
      }
    }
  }

  private void check(long centerId) {
    List<AlertThreshold> limits = thresholds.of(centerId);
    Optional<Center> center = directory.center(centerId);
    if (limits.isEmpty() || center.isEmpty()) {
      passed.remove(centerId);
      return;
    }
    // An engine that cannot answer in time leaves the center as it was: nothing passed or cleared on no figures.
    CenterLoad load = loads.apply(centerId).orTimeout(ENGINE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).join();
    Instant now = clock.instant();
    Map<Long, CenterLoad.QueueLoad> byQueue = new HashMap<>();
    load.queues().forEach(q -> byQueue.put(q.queueId(), q));
    Map<Long, Set<String>> before = passed.getOrDefault(centerId, Map.of());
    Map<Long, Set<String>> after = new HashMap<>();
    int waiting = 0;
    long longest = 0;
    for (Queue queue : directory.queues(centerId)) {
      CenterLoad.QueueLoad q = byQueue.get(queue.id());
      int queueWaiting = q == null ? 0 : q.waiting();
      long wait = q == null || q.oldestWaitingSince() == null ? 0
          : Math.max(0, Duration.between(q.oldestWaitingSince(), now).toSeconds());
      waiting += queueWaiting;
      longest = Math.max(longest, wait);
      Optional<AlertThreshold> limit = thresholds.queue(centerId, queue.id());
      if (limit.isPresent()) {
        compare(center.get(), queue, limit.get(), queueWaiting, wait, before, after);
      }
    }
    Optional<AlertThreshold> limit = thresholds.center(centerId);
    if (limit.isPresent()) {
      compare(center.get(), null, limit.get(), waiting, longest, before, after);
    }
    passed.put(centerId, after);
  }

  private void compare(Center center, Queue queue, AlertThreshold limit, int waiting, long longestWait,
      Map<Long, Set<String>> before, Map<Long, Set<String>> after) {
    long key = queue == null ? 0 : queue.id();
    Set<String> was = before.getOrDefault(key, Set.of());
    Set<String> now = new HashSet<>();
    figure(center, queue, "waiting", limit.waitingPassed(waiting), was, now, waiting, limit.waiting());
    figure(center, queue, "longestWait", limit.waitPassed(longestWait), was, now, longestWait,
        limit.longestWaitSeconds());
    after.put(key, now);
  }

  private void figure(Center center, Queue queue, String figure, boolean past, Set<String> was, Set<String> now,
      long value, Integer limit) {
    if (past) {
      now.add(figure);
    }
    if (past == was.contains(figure)) {
      return;
    }
    String state = past ? "passed" : "cleared";
    publisher.publish(center.tenantId(), EVENT, () -> {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("center", center.code());
      data.put("queue", queue == null ? null : queue.code());
      data.put("figure", figure);
      data.put("state", state);
      data.put("value", value);
      data.put("limit", limit);
      return data;
    });
  }
}
