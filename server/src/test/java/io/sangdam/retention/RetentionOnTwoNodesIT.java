package io.sangdam.retention;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention job on two nodes sharing a database, started on both at once: one of them runs the slot, the other
 * does nothing, and the erasure is done and audited once. The nodes keep the real clock (their center leases run on
 * it), so the conversations are aged in the database instead: their times moved 40 days back.
 */
class RetentionOnTwoNodesIT {
  /** A week's slot: both calls below fall in the same one. */
  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).with("retention.everyMinutes", "10080")
      .with("retention.batchSize", "2");

  private static final ExecutorService racers = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stopRacers() {
    racers.shutdownNow();
  }

  @Test
  void bothNodesStartTheRunAndItIsDoneAndAuditedOnce() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    TestServer.Setup s = a.setUp();
    RetentionData data = new RetentionData(a);
    List<RetentionData.Visit> visits = List.of(data.abandoned(s.tenant(), "card", "하나"),
        data.abandoned(s.tenant(), "card", "둘"), data.abandoned(s.tenant(), "card", "셋"));
    long messages = data.number("""
        SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = m.conversation_id
        JOIN tenant t ON t.id = c.tenant_id WHERE t.code = ?""", s.tenant());
    a.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/retention", s.adminToken(), of("days", 30));
    data.update("""
        UPDATE conversation c JOIN tenant t ON t.id = c.tenant_id
        SET c.created_at = c.created_at - INTERVAL 40 DAY, c.queued_at = c.queued_at - INTERVAL 40 DAY,
            c.closed_at = c.closed_at - INTERVAL 40 DAY
        WHERE t.code = ?""", s.tenant());
    data.update("""
        UPDATE customer cu JOIN tenant t ON t.id = cu.tenant_id SET cu.created_at = cu.created_at - INTERVAL 40 DAY
        WHERE t.code = ?""", s.tenant());

    Future<Optional<Erased>> onA = racers.submit(() -> a.retentionJob().run());
    Future<Optional<Erased>> onB = racers.submit(() -> b.retentionJob().run());
    List<Optional<Erased>> runs = List.of(onA.get(60, TimeUnit.SECONDS), onB.get(60, TimeUnit.SECONDS));

    assertEquals(1, runs.stream().filter(Optional::isPresent).count(), runs.toString());
    Erased erased = runs.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    assertEquals(new Erased(3, (int) messages, 0, 0, 3, 0), erased);
    assertEquals(1, data.number("SELECT COUNT(*) FROM retention_run"));
    assertEquals(1, data.number("""
        SELECT COUNT(*) FROM audit_log a JOIN tenant t ON t.id = a.tenant_id
        WHERE t.code = ? AND a.action = 'retention.run'""", s.tenant()));
    assertEquals(1, data.number("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run' AND tenant_id IS NULL"));
    for (RetentionData.Visit v : visits) {
      assertEquals(0, data.number("SELECT COUNT(*) FROM message WHERE conversation_id = ?", v.conversation()));
    }
    assertEquals(Optional.empty(), b.retentionJob().run(), "the slot is run: a later tick in it does nothing");
  }
}
