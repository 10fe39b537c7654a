package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sangdam.routing.CenterLoad;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboards of every node see every center, over a real nats-server. */
class CenterLoadBoardIT {
  private static final CenterLoad SEOUL = new CenterLoad(1, List.of(new CenterLoad.QueueLoad(7, 3, 2,
      Instant.parse("2026-12-02T03:00:00Z"))), List.of(new CenterLoad.AgentLoad(4, "ONLINE", null, 2,
      Instant.parse("2026-12-02T02:00:00Z"))));

  @Test
  void aCenterOwnedElsewhereShowsItsOwnersStateUntilItGoesStale(@TempDir Path dir) throws Exception {
    AtomicLong now = new AtomicLong();
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    try (NatsServer nats = NatsServer.start(dir); Connection ca = Nats.connect(nats.url());
        Connection cb = Nats.connect(nats.url());
        CenterLoadBoard a = new CenterLoadBoard(ca, "a", id -> {
          throw new AssertionError("a owns no center");
        }, Set::of, now::get, metricsA);
        CenterLoadBoard b = new CenterLoadBoard(cb, "b", id -> CompletableFuture.completedFuture(SEOUL),
            () -> Set.of(1L), now::get, new SimpleMeterRegistry())) {
      a.start();
      b.start();
      ca.flush(Duration.ofSeconds(5));
      assertEquals(CenterLoad.empty(1), a.load(1).join(), "nothing heard yet");

      cb.publish(CenterLoadBoard.SUBJECT, "[]".getBytes(StandardCharsets.UTF_8));
      cb.publish(CenterLoadBoard.SUBJECT, "{\"v\":1,\"node\":\"c\",\"load\":{\"centerId\":\"x\"}}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(CenterLoadBoard.SUBJECT, "{\"v\":1,\"node\":\"c\",\"load\":{\"centerId\":2}}"
          .getBytes(StandardCharsets.UTF_8));
      b.publish();

      eventually("a sees b's center", () -> a.load(1).join().equals(SEOUL));
      assertEquals(SEOUL, b.load(1).join(), "the owner answers from its own engine");
      assertEquals(3.0, metricsA.get("sangdam_cluster_loads_dropped").counter().count());

      now.addAndGet(CenterLoadBoard.STALE.toNanos());
      assertEquals(CenterLoad.empty(1), a.load(1).join(), "an owner silent for 3 s shows nothing rather than old figures");
    }
  }
}
