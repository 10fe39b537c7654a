package io.sangdam.dashboard;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live dashboard: figures from the routing engines, by scope, on request and pushed as they change. */
class DashboardIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static JsonNode tenant(JsonNode dashboard, String code) {
    for (JsonNode t : dashboard.path("tenants")) {
      if (t.path("code").asText().equals(code)) {
        return t;
      }
    }
    return null;
  }

  private static String manager(TestServer.Setup s) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    return server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
  }

  private static long start(WsClient customer, TestServer.Setup s) {
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
    return customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
        .asLong();
  }

  @Test
  void eachScopeSeesItsCentersLiveAndOneCenterListsItsAgents() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    String manager = manager(s);
    JsonNode before = http.expect(200, "GET", "/api/dashboard", manager, null);
    assertEquals(1, before.path("tenants").size());
    JsonNode quiet = before.path("tenants").get(0).path("centers").get(0);
    assertEquals(of("online", 0, "away", 0, "offline", 1), quiet.path("agents"));
    assertEquals(0, quiet.path("waiting").asInt());

    try (WsClient agent = server.agent(); WsClient first = server.customer(); WsClient second = server.customer()) {
      server.assignedChat(s, agent, first);
      agent.send(of("type", "status", "status", "AWAY")).next("status");
      start(second, s);

      // The customer hears "started" just before routing takes the conversation in: look until it has.
      JsonNode center = eventually("the second customer waiting on the dashboard",
          () -> center(http.expect(200, "GET", "/api/dashboard", manager, null)), c -> c.path("waiting").asInt() > 0);
      assertEquals("seoul", center.path("code").asText());
      assertTrue(center.path("open").asBoolean());
      assertEquals(1, center.path("waiting").asInt());
      assertEquals(1, center.path("inProgress").asInt());
      assertTrue(center.path("longestWaitSeconds").asLong() >= 0);
      assertEquals(of("online", 0, "away", 1, "offline", 0), center.path("agents"));
      JsonNode queue = center.path("queues").get(0);
      assertEquals("card", queue.path("code").asText());
      assertEquals(1, queue.path("waiting").asInt());
      assertEquals(1, queue.path("inProgress").asInt());
      JsonNode kim = center.path("agentDetails").get(0);
      assertEquals("kim", kim.path("username").asText());
      assertEquals("AWAY", kim.path("status").asText());
      assertEquals(1, kim.path("openChats").asInt());

      JsonNode hq = http.expect(200, "GET", "/api/dashboard", s.adminToken(), null);
      JsonNode mine = tenant(hq, s.tenant());
      assertEquals(1, mine.path("centers").get(0).path("waiting").asInt(), "HQ sees the same figures");
      assertTrue(tenant(hq, other.tenant()) != null, "HQ sees every tenant");
      assertTrue(mine.path("centers").get(0).path("agentDetails").isMissingNode(), "no agent list at HQ level");
      JsonNode drilled = http.expect(200, "GET", "/api/dashboard?center=" + s.tenant() + "/seoul", s.adminToken(),
          null);
      assertEquals("AWAY", drilled.path("tenants").get(0).path("centers").get(0).path("agentDetails").get(0)
          .path("status").asText(), "HQ drills down to a center's agents");

      http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "chief",
          "password", TestServer.STAFF_PASSWORD, "name", "남의 관리자", "role", "TENANT_ADMIN"));
      String otherAdmin = http.login(other.tenant(), "chief", TestServer.STAFF_PASSWORD);
      JsonNode theirs = http.expect(200, "GET", "/api/dashboard", otherAdmin, null);
      assertEquals(1, theirs.path("tenants").size(), "a tenant admin sees only their tenant");
      assertEquals(other.tenant(), theirs.path("tenants").get(0).path("code").asText());
      assertEquals(404, http.send("GET", "/api/dashboard?center=" + s.tenant() + "/seoul", otherAdmin, null)
          .status());
      assertEquals(404, http.send("GET", "/api/dashboard?center=" + other.tenant() + "/seoul", manager, null)
          .status());
      assertEquals(403, http.send("GET", "/api/dashboard", s.agentToken(), null).status());
      assertEquals(422, http.send("GET", "/api/dashboard?center=seoul", manager, null).status());
    }
  }

  @Test
  void aSubscribedConsoleIsToldOfChangesAtMostOnceASecond() {
    TestServer.Setup s = server.setUp();
    String manager = manager(s);
    try (WsClient console = server.agent(); WsClient customer = server.customer()) {
      console.send(of("type", "hello", "token", manager)).next("welcome");
      JsonNode first = console.send(of("type", "dashboard", "rid", "d1", "live", true)).next("dashboard");
      assertEquals("d1", first.path("rid").asText());
      assertEquals(0, first.path("tenants").get(0).path("centers").get(0).path("waiting").asInt());

      start(customer, s);
      JsonNode pushed = console.next("dashboard");
      assertTrue(pushed.path("rid").isMissingNode(), "a push answers no request");
      assertEquals(1, pushed.path("tenants").get(0).path("centers").get(0).path("waiting").asInt());

      // A window, on purpose: the property is a rate, and the feed ticks on the server's own scheduler.
      int pushes = console.countWithin(2_500);
      assertTrue(pushes <= 3, "at most one push a second, got " + pushes + " in 2.5 s");

      console.send(of("type", "dashboard", "rid", "d2")).next("dashboard");
      try (WsClient live = server.agent(); WsClient another = server.customer()) {
        live.send(of("type", "hello", "token", manager)).next("welcome");
        live.send(of("type", "dashboard", "live", true)).next("dashboard");
        start(another, s);
        JsonNode change = live.until("dashboard");
        while (center(change).path("waiting").asInt() != 2) { // a push from before the second customer came
          change = live.until("dashboard");
        }
        console.assertNothingSoFar("a dashboard without live stops the pushes: the change went to the live one only");
      }

      assertEquals("forbidden", agentAsks(s), "agents have no dashboard");
      assertEquals("not_found", console.send(of("type", "dashboard", "rid", "d3", "center", "nope/seoul"))
          .next("error").path("code").asText());
    }
  }

  @Test
  void todayCountsWhatEndedSinceMidnightWithTheServiceLevel() {
    TestServer.Setup s = server.setUp();
    String manager = manager(s);
    JsonNode quiet = center(server.http().expect(200, "GET", "/api/dashboard", manager, null));
    assertEquals(of("offered", 0, "handled", 0, "abandoned", 0, "serviceLevel", null), quiet.path("today"),
        "nothing ended yet: no service level, not a made-up zero");
    try (WsClient agent = server.agent(); WsClient answered = server.customer(); WsClient gone = server.customer()) {
      long id = server.assignedChat(s, agent, answered);
      agent.send(of("type", "close", "rid", "c1", "conversation", id)).next("closed");
      agent.send(of("type", "status", "status", "AWAY")).next("status");
      long left = start(gone, s);
      gone.send(of("type", "leave", "conversation", left)).next("closed");
    }
    JsonNode today = eventually("both ended conversations counted",
        () -> center(server.http().expect(200, "GET", "/api/dashboard", manager, null)).path("today"),
        t -> t.path("offered").asInt() == 2);
    assertEquals(of("offered", 2, "handled", 1, "abandoned", 1, "serviceLevel", 0.5), today,
        "answered within the target over everything offered: the abandoned chat counts against it");
  }

  private static JsonNode center(JsonNode dashboard) {
    return dashboard.path("tenants").get(0).path("centers").get(0);
  }

  private static String agentAsks(TestServer.Setup s) {
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      return agent.send(of("type", "dashboard", "rid", "x")).next("error").path("code").asText();
    }
  }
}
