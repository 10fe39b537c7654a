package io.sangdam.dashboard;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live board's alert thresholds over REST (set, read, cleared; every bad body refused whole and nothing
 * stored; out of scope not found; agents forbidden) and in the dashboard (each center's and queue's limits
 * and the figures past them); the {@code queue.threshold} webhook event as a limit is passed and cleared; and
 * the dashboard's tenant and group totals.
 */
class AlertThresholdsIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  private static String path(TestServer.Setup s, String center) {
    return "/api/tenants/" + s.tenant() + "/centers/" + center + "/alert-thresholds";
  }

  @Test
  void aManagerSetsThresholdsAndTheBoardShowsTheCenterAndQueuePastThem() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    assertEquals(Json.parse("{\"center\":null,\"queues\":{}}"), http.expect(200, "GET", path(s, "seoul"), manager,
        null), "no thresholds until set");

    JsonNode set = http.expect(200, "PUT", path(s, "seoul"), manager, Json.parse(
        "{\"center\":{\"waiting\":2,\"longestWaitSeconds\":3600},\"queues\":{\"card\":{\"waiting\":1}}}"));
    assertEquals(Json.parse("{\"center\":{\"waiting\":2,\"longestWaitSeconds\":3600},"
        + "\"queues\":{\"card\":{\"waiting\":1,\"longestWaitSeconds\":null}}}"), set);
    assertEquals(set, http.expect(200, "GET", path(s, "seoul"), s.adminToken(), null), "HQ reads what was set");

    JsonNode quiet = center(http.expect(200, "GET", "/api/dashboard?center=" + s.tenant() + "/seoul", manager, null));
    assertEquals(List.of(), texts(quiet.path("alerts")), "nobody waits: no alert");
    assertEquals(2, quiet.path("threshold").path("waiting").asInt());
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      JsonNode board = eventually("the customer waiting on the board", () -> center(http.expect(200, "GET",
          "/api/dashboard?center=" + s.tenant() + "/seoul", manager, null)), c -> c.path("waiting").asInt() == 1);
      assertEquals(List.of(), texts(board.path("alerts")), "one waits; the center's limit is 2");
      JsonNode card = board.path("queues").get(0);
      assertEquals(1, card.path("waiting").asInt());
      assertEquals(List.of("waiting"), texts(card.path("alerts")), "the queue's own limit is 1");
      assertEquals(1, card.path("threshold").path("waiting").asInt());
      assertTrue(card.path("threshold").path("longestWaitSeconds").isNull());
    }

    http.expect(200, "PUT", path(s, "seoul"), manager, of());
    assertEquals(Json.parse("{\"center\":null,\"queues\":{}}"), http.expect(200, "GET", path(s, "seoul"), manager,
        null), "an empty body clears them");
    JsonNode cleared = center(http.expect(200, "GET", "/api/dashboard?center=" + s.tenant() + "/seoul", manager,
        null));
    assertFalse(cleared.has("threshold"), "no limits: none shown");
  }

  private static int waitingIn(JsonNode dashboard, String tenant) {
    for (JsonNode t : dashboard.path("tenants")) {
      if (t.path("code").asText().equals(tenant)) {
        return t.path("totals").path("waiting").asInt();
      }
    }
    return -1;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode center(JsonNode dashboard) {
    return dashboard.path("tenants").get(0).path("centers").get(0);
  }

  @Test
  void everyBadBodyIsRefusedWholeAndLeavesTheThresholdsAsTheyWere() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    JsonNode kept = http.expect(200, "PUT", path(s, "seoul"), s.adminToken(),
        Json.parse("{\"center\":{\"waiting\":5},\"queues\":{\"card\":{\"longestWaitSeconds\":120}}}"));
    Map<String, String> refused = Map.ofEntries(
        Map.entry("{\"center\":{\"waiting\":-1}}", "center.waiting"),
        Map.entry("{\"center\":{\"waiting\":0}}", "center.waiting"),
        Map.entry("{\"center\":{\"waiting\":10001}}", "center.waiting"),
        Map.entry("{\"center\":{\"longestWaitSeconds\":86401}}", "center.longestWaitSeconds"),
        Map.entry("{\"center\":{\"longestWaitSeconds\":99999999999999999999}}", "center.longestWaitSeconds"),
        Map.entry("{\"center\":{\"waiting\":\"5\"}}", "center.waiting"),
        Map.entry("{\"center\":{\"waiting\":1.5}}", "center.waiting"),
        Map.entry("{\"center\":{\"waiting\":true}}", "center.waiting"),
        Map.entry("{\"center\":{\"wating\":3}}", "center.wating"),
        Map.entry("{\"center\":7}", "center"),
        Map.entry("{\"queues\":[1]}", "queues"),
        Map.entry("{\"queues\":{\"card\":{\"waiting\":2},\"nope\":{\"waiting\":2}}}", "queues.nope"),
        Map.entry("{\"queues\":{\"card\":\"<script>\"}}", "queues.card"),
        Map.entry("{\"center\":{\"waiting\":3},\"alerts\":true}", "alerts"));
    refused.forEach((body, field) -> {
      Http.Response r = http.send("PUT", path(s, "seoul"), s.adminToken(), body);
      assertEquals(422, r.status(), body);
      assertEquals("invalid_field", r.errorCode(), body);
      assertTrue(r.body().path("error").path("message").asText().contains("'" + field + "'"), body + ": " + r.body());
    });
    assertEquals(400, http.send("PUT", path(s, "seoul"), s.adminToken(), "[1,2]").status(), "not an object");
    assertEquals(400, http.send("PUT", path(s, "seoul"), s.adminToken(), "{\"center\":").status(), "not JSON");
    assertEquals(kept, http.expect(200, "GET", path(s, "seoul"), s.adminToken(), null), "nothing refused was stored");
  }

  @Test
  void outOfScopeIsNotFoundAndAgentsAreForbidden() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(),
        of("code", "busan", "name", "부산"));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "busanboss",
        "password", TestServer.STAFF_PASSWORD, "name", "부산 센터장", "role", "CENTER_MANAGER", "center", "busan"));
    String busanManager = http.login(s.tenant(), "busanboss", TestServer.STAFF_PASSWORD);
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    String otherAdmin = http.login(other.tenant(), "chief", TestServer.STAFF_PASSWORD);
    JsonNode body = Json.parse("{\"center\":{\"waiting\":1}}");

    assertEquals(404, http.send("PUT", path(s, "seoul"), busanManager, body).status(), "another center's manager");
    assertEquals(404, http.send("GET", path(s, "seoul"), busanManager, null).status());
    assertEquals(404, http.send("PUT", path(s, "seoul"), otherAdmin, body).status(), "another tenant's admin");
    assertEquals(404, http.send("PUT", path(s, "nowhere"), s.adminToken(), body).status(), "no such center");
    assertEquals(403, http.send("PUT", path(s, "seoul"), s.agentToken(), body).status(), "an agent");
    assertEquals(401, http.send("PUT", path(s, "seoul"), null, body).status(), "nobody");
    http.expect(200, "PUT", path(s, "busan"), busanManager, body);
    assertEquals(Json.parse("{\"center\":null,\"queues\":{}}"), http.expect(200, "GET", path(s, "seoul"),
        s.adminToken(), null), "nothing refused reached Seoul");
  }

  @Test
  void aWebhookHearsWhenAQueuePassesItsLimitAndWhenItIsBackUnder() throws Exception {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try {
      String hooks = "/api/tenants/" + s.tenant() + "/webhooks";
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      assertEquals(422, http.send("POST", hooks, s.adminToken(), of("url", url, "events",
          List.of("queue.thresholds"))).status(), "an event that does not exist");
      http.expect(201, "POST", hooks, s.adminToken(), of("url", url, "events", List.of("queue.threshold")));
      http.expect(200, "PUT", path(s, "seoul"), s.adminToken(), Json.parse("{\"queues\":{\"card\":{\"waiting\":1}}}"));
      try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
        customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
        customer.send(of("type", "start", "queue", "card")).next("started");
        JsonNode passed = next(received);
        assertEquals("queue.threshold", passed.path("event").asText());
        assertEquals(s.tenant(), passed.path("tenant").asText());
        assertEquals(Json.parse("{\"center\":\"seoul\",\"queue\":\"card\",\"figure\":\"waiting\","
            + "\"state\":\"passed\",\"value\":1,\"limit\":1}"), passed.path("data"));

        agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        agent.next("assigned");
        JsonNode cleared = next(received);
        assertEquals("cleared", cleared.path("data").path("state").asText());
        assertEquals(0, cleared.path("data").path("value").asInt());
      }
      assertTrue(received.isEmpty(), "one event each time, not one per check: " + received);
    } finally {
      receiver.stop(0);
    }
  }

  private static JsonNode next(BlockingQueue<JsonNode> received) throws InterruptedException {
    JsonNode event = received.poll(20, TimeUnit.SECONDS);
    assertTrue(event != null, "no queue.threshold event came");
    return event;
  }

  @Test
  void theDashboardAddsUpEachTenantAndHqSeesTheGroupTotal() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(),
        of("code", "busan", "name", "부산"));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers/busan/queues", s.adminToken(),
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY"));
    try (WsClient one = server.customer(); WsClient two = server.customer(); WsClient three = server.customer()) {
      for (Object[] c : new Object[][] {{one, "seoul", "card"}, {two, "seoul", "card"}, {three, "busan", "loan"}}) {
        WsClient customer = (WsClient) c[0];
        customer.send(of("type", "hello", "tenant", s.tenant(), "center", c[1])).next("welcome");
        customer.send(of("type", "start", "queue", c[2])).next("started");
      }
      JsonNode hq = eventually("three customers waiting on HQ's board", () -> http.expect(200, "GET",
          "/api/dashboard", s.adminToken(), null), d -> waitingIn(d, s.tenant()) == 3);
      JsonNode tenant = null;
      int groupWaiting = 0;
      int groupCenters = 0;
      for (JsonNode t : hq.path("tenants")) {
        groupWaiting += t.path("totals").path("waiting").asInt();
        groupCenters += t.path("totals").path("centers").asInt();
        if (t.path("code").asText().equals(s.tenant())) {
          tenant = t;
        }
      }
      assertEquals(3, tenant.path("totals").path("waiting").asInt(), "two in Seoul, one in Busan");
      assertEquals(2, tenant.path("totals").path("centers").asInt());
      assertEquals(1, tenant.path("totals").path("agents").path("offline").asInt(), "kim is not connected");
      assertEquals(groupWaiting, hq.path("group").path("waiting").asInt(), "the group is its tenants summed");
      assertEquals(groupCenters, hq.path("group").path("centers").asInt());
      assertTrue(hq.path("group").path("waiting").asInt() >= 3);

      http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "chief",
          "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
      JsonNode own = http.expect(200, "GET", "/api/dashboard", http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD), null);
      assertEquals(1, own.path("tenants").size());
      assertEquals(3, own.path("tenants").get(0).path("totals").path("waiting").asInt());
      assertFalse(own.has("group"), "one tenant: no group total");
    }
  }
}
