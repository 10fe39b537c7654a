package io.sangdam.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.routing.CenterLoad;
import io.sangdam.testing.InMemoryAlertThresholdStore;
import io.sangdam.testing.InMemoryDirectoryStore;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The {@code queue.threshold} events: one when a figure passes its limit and one when it is back under,
 * never one per check; the center's limits over its queues summed; a center this node stops routing
 * forgotten, and told afresh when it comes back.
 */
class ThresholdAlarmsTest {
  private final ManualTime time = new ManualTime(Instant.parse("2026-12-03T01:00:00Z"));
  private final InMemoryDirectoryStore rows = new InMemoryDirectoryStore();
  private final Directory directory = new Directory(rows, new LocalChanges());
  private final AlertThresholds thresholds = new AlertThresholds(new InMemoryAlertThresholdStore());
  private final List<String> published = new ArrayList<>();
  private CenterLoad load;
  private Set<Long> own;
  private final Tenant tenant = rows.insertTenant("acme", "Acme");
  private final Center center = rows.insertCenter(tenant.id(), "seoul", "서울", "Asia/Seoul");
  private final Queue card = rows.insertQueue(center.id(), queue("card"));
  private final Queue loan = rows.insertQueue(center.id(), queue("loan"));
  private final ThresholdAlarms alarms;

  ThresholdAlarmsTest() {
    directory.load();
    own = Set.of(center.id());
    load = waiting(0, 0, null);
    alarms = new ThresholdAlarms(directory, () -> own, id -> CompletableFuture.completedFuture(load), thresholds,
        (tenantId, event, data) -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> d = (Map<String, Object>) data.get();
          published.add(tenantId + " " + event + " " + d.get("queue") + " " + d.get("figure") + " " + d.get("state")
              + " " + d.get("value") + "/" + d.get("limit"));
        }, time);
  }

  private static NewQueue queue(String code) {
    return new NewQueue(code, code, RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null);
  }

  /** {@code cards} waiting for cards (the first since {@code since}), {@code loans} for loans. */
  private CenterLoad waiting(int cards, int loans, Instant since) {
    return new CenterLoad(center.id(), List.of(new CenterLoad.QueueLoad(card.id(), cards, 0, cards == 0 ? null : since),
        new CenterLoad.QueueLoad(loan.id(), loans, 0, null)), List.of());
  }

  @Test
  void eachCrossingIsToldOnceAndTheCenterCountsItsQueuesSummed() {
    thresholds.replace(center.id(), List.of(new AlertThreshold(center.id(), card.id(), 2, 60),
        new AlertThreshold(center.id(), null, 3, null)));
    alarms.check();
    assertEquals(List.of(), published, "nobody waits");

    load = waiting(2, 0, time.instant());
    alarms.check();
    alarms.check();
    assertEquals(List.of(tenant.id() + " queue.threshold card waiting passed 2/2"), published, "once, not per check");

    published.clear();
    load = waiting(2, 1, time.instant());
    alarms.check();
    assertEquals(List.of(tenant.id() + " queue.threshold null waiting passed 3/3"), published,
        "the center's limit is over its queues summed");

    published.clear();
    Instant since = time.instant();
    time.advance(Duration.ofSeconds(61));
    load = waiting(1, 0, since);
    alarms.check();
    assertEquals(List.of(tenant.id() + " queue.threshold card waiting cleared 1/2",
        tenant.id() + " queue.threshold card longestWait passed 61/60",
        tenant.id() + " queue.threshold null waiting cleared 1/3"), published);
  }

  @Test
  void aCenterNoLongerRoutedHereIsForgottenAndToldAfreshWhenItComesBack() {
    thresholds.replace(center.id(), List.of(new AlertThreshold(center.id(), card.id(), 1, null)));
    load = waiting(1, 0, time.instant());
    alarms.check();
    own = Set.of();
    alarms.check();
    own = Set.of(center.id());
    alarms.check();
    assertEquals(List.of(tenant.id() + " queue.threshold card waiting passed 1/1",
        tenant.id() + " queue.threshold card waiting passed 1/1"), published);
  }
}
