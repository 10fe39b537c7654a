package io.sangdam.routing;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** After a restart every engine is rebuilt from the database: waiting lines, agents' loads and their grace periods. */
// One test at a time: each advances the class's clock, which runs every timer due, other tests' too.
@Execution(ExecutionMode.SAME_THREAD)
class RoutingRestartIT {
  /** Kim's grace falls due when the test advances it; the same time across the restart. */
  private static final ManualTime time = new ManualTime(Instant.parse("2026-12-01T01:00:00Z"));
  private static final Duration GRACE = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  @Test
  void waitingAndAssignedConversationsCarryOnAfterARestart() {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(200, "PUT", base + "/centers/seoul/settings", s.adminToken(), of("agentGraceSeconds", GRACE.toSeconds()));
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "lee", "password",
        "agent-pass-7", "name", "이상담", "role", "AGENT", "center", "seoul", "queues", List.of("card"),
        "maxChats", 5));
    long assigned;
    long waiting;
    try (WsClient kim = server.agent(); WsClient c1 = server.customer(); WsClient c2 = server.customer()) {
      kim.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      kim.send(of("type", "status", "status", "ONLINE")).next("status");
      c1.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      assigned = c1.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      kim.next("assigned");
      kim.send(of("type", "status", "status", "AWAY")).next("status");
      c2.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      waiting = c2.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
    }

    server.stop();
    server.start();

    try (WsClient lee = server.agent()) {
      lee.send(of("type", "hello", "token", server.http().login(s.tenant(), "lee", "agent-pass-7"))).next("welcome");
      lee.send(of("type", "status", "status", "ONLINE")).next("status");
      assertEquals(waiting, lee.next("assigned").path("conversation").path("id").asLong(), "the waiting one at once");
      time.awaitTaskDueIn(GRACE);
      time.advance(GRACE.minusSeconds(1));
      lee.assertNothingSoFar("kim's chat waits for him until his grace period is over");
      time.advance(Duration.ofSeconds(1));
      assertEquals(assigned, lee.next("assigned").path("conversation").path("id").asLong(),
          "kim's after kim's grace period, since kim never came back");
    }
  }
}
