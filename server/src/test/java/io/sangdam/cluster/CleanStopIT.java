package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.CenterOwnership;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A node that owns a center stopped cleanly (SIGTERM): it gives the center up whole (its routing
 * engine stopped, its conversations let go) before its routing pool stops, and another node takes
 * the center. Found by the cluster bench: the leases were released after the routing pool had shut
 * down, so every clean stop of an owner logged the release as failed halfway.
 */
class CleanStopIT {
  private static final String TENANT = "cleanstop";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(1);

  private static String ownerOf(Http http, String admin) {
    JsonNode view = http.expect(200, "GET", "/api/cluster", admin, null);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode c : n.path("centers")) {
        if (c.asText().equals(TENANT + "/seoul")) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  @Test
  void anOwnerStoppedCleanlyGivesItsCenterUpWholeAndAnotherTakesIt() {
    TestServer a = cluster.node("node-a");
    Http http = a.http();
    String admin = a.adminToken();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Clean stop"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 2));
    TestServer b = cluster.another("node-b").with("cluster.centers", TENANT + "/seoul");
    Logger leases = (Logger) LoggerFactory.getLogger(CenterLeases.class);
    Logger ownership = (Logger) LoggerFactory.getLogger(CenterOwnership.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    b.start();
    Level quiet = ownership.getLevel();
    ownership.setLevel(Level.INFO); // "gave up center" is logged at INFO
    try (WsClient customer = a.customer()) {
      Eventually.eventually("node-b, which prefers it, owns the center", () -> ownerOf(http, admin).equals("node-b"));
      // A customer waiting: node-b's routing has work for the center, and an engine to stop.
      customer.send(of("type", "hello", "tenant", TENANT, "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      leases.addAppender(logged);
      ownership.addAppender(logged);
      b.stop();
    } finally {
      leases.detachAppender(logged);
      ownership.detachAppender(logged);
      ownership.setLevel(quiet);
    }
    List<String> errors = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(List.of(), errors, "the release went without a failure");
    assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith("gave up center")
        && e.getFormattedMessage().endsWith("with 1 open conversations")),
        "node-b let the center's conversation go: " + logged.list);
    Eventually.eventually("node-a takes the center", () -> ownerOf(http, admin).equals("node-a"));
  }
}
