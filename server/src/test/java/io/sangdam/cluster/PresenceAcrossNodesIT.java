package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Customers' presence across nodes as a center's owner sees it: a node that just started, and so heard
 * none of the customers come, takes a center over without taking the customers connected to other
 * nodes for away.
 */
class PresenceAcrossNodesIT {
  private static final int GRACE_SECONDS = 2;

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).with("chat.customerGraceSeconds",
      Integer.toString(GRACE_SECONDS));

  private static TestServer a() {
    return cluster.node("node-a");
  }

  private static TestServer b() {
    return cluster.node("node-b");
  }

  /** Waits until {@code node} owns the setup's center. */
  private static void awaitOwnedBy(TestServer.Setup s, String node) {
    Eventually.eventually("the center owned by " + node, () -> {
      JsonNode view = a().http().expect(200, "GET", "/api/cluster", s.adminToken(), null);
      for (JsonNode n : view.path("nodes")) {
        for (JsonNode center : n.path("centers")) {
          if (center.asText().equals(s.tenant() + "/seoul")) {
            return n.path("name").asText().equals(node);
          }
        }
      }
      return false;
    });
  }

  @Test
  void aNodeThatJustStartedTakesACenterOverWithoutAbandoningCustomersConnectedElsewhere() {
    TestServer.Setup s = a().setUp();
    Eventually.eventually("the center owned", () -> a().http().expect(200, "GET", "/api/cluster", s.adminToken(),
        null).toString().contains(s.tenant() + "/seoul"));
    try (WsClient customer = b().customer().ignoring("queue")) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      TestServer c = cluster.another("node-c").with("cluster.centers", s.tenant() + "/seoul");
      c.start();
      try {
        awaitOwnedBy(s, "node-c");
        // Longer than the grace: had node-c taken the customer for away, the conversation would be abandoned now.
        assertTrue(customer.quietFor((GRACE_SECONDS + 2) * 1000L), "the waiting customer is not abandoned");
        try (WsClient agent = a().agent()) {
          agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
          agent.send(of("type", "status", "status", "ONLINE")).next("status");
          assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong(),
              "routed by node-c, still waiting");
          assertEquals(id, customer.until("assigned").path("conversation").asLong());
        }
      } finally {
        c.stop();
      }
    }
  }

  @Test
  void anAgentsAwayReasonReachesTheCentersOwnerWhicheverNodeTheirConsoleIsOn() {
    TestServer.Setup s = a().setUp();
    Eventually.eventually("the center owned", () -> a().http().expect(200, "GET", "/api/cluster", s.adminToken(),
        null).toString().contains(s.tenant() + "/seoul"));
    a().http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String manager = a().http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    for (TestServer node : java.util.List.of(a(), b())) {
      String reason = node == a() ? "meal" : "training";
      try (WsClient agent = node.agent()) {
        agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        assertEquals(reason, agent.send(of("type", "status", "status", "AWAY", "reason", reason)).next("status")
            .path("reason").asText());
        for (TestServer board : java.util.List.of(a(), b())) {
          Eventually.eventually("kim AWAY for " + reason + " on the board of " + board, () -> board.http().expect(200,
              "GET", "/api/dashboard", manager, null).path("tenants").get(0).path("centers").get(0)
              .path("agentDetails").get(0), kim -> kim.path("status").asText().equals("AWAY")
              && kim.path("reason").asText().equals(reason));
        }
      }
    }
  }
}
