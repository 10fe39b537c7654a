package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A node that stops cleanly gives its centers up while their routing can still be stopped, and another node takes them. */
class NodeStopIT {
  @RegisterExtension
  static final TestCluster cluster = new TestCluster(1);

  @Test
  void aStoppingNodeGivesItsCentersUpWithoutAnError() {
    TestServer a = cluster.node("node-a");
    String admin = a.adminToken();
    String tenant = a.uniqueCode("stop");
    a.http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "Stop"));
    a.http().expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, of("code", "busan", "name", "부산"));
    a.http().expect(201, "POST", "/api/tenants/" + tenant + "/centers/busan/queues", admin,
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
    TestServer leaving = cluster.another("node-z").with("cluster.centers", tenant + "/busan");
    leaving.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    try (WsClient customer = a.customer()) {
      Eventually.eventually("node-z, which prefers it, owns the center",
          () -> ownerOf(a, admin, tenant + "/busan").equals("node-z"));
      // A customer waiting there: the center's routing engine runs on node-z.
      customer.send(of("type", "hello", "tenant", tenant, "center", "busan")).next("welcome");
      customer.send(of("type", "start", "queue", "loan")).next("started");
      logged.start();
      root.addAppender(logged);
    } finally {
      leaving.stop();
    }
    root.detachAppender(logged);
    synchronized (logged) { // the appender appends under its own lock
      // Before: the centers were given up after the routing threads had stopped, each failing with an ERROR.
      assertEquals(List.of(), logged.list.stream().filter(e -> e.getLevel() == Level.ERROR)
          .map(ILoggingEvent::getFormattedMessage).toList(), "a clean stop logs no error");
    }
    Eventually.eventually("node-a takes the center", () -> ownerOf(a, admin, tenant + "/busan").equals("node-a"));
  }

  private static String ownerOf(TestServer node, String admin, String center) {
    JsonNode view = node.http().expect(200, "GET", "/api/cluster", admin, null);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode c : n.path("centers")) {
        if (c.asText().equals(center)) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }
}
