package io.sangdam.presence;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Away reasons (이석 사유) over the real socket and REST: the tenant's defaults in {@code welcome}, AWAY
 * with a reason echoed to every console and kept for the agent's next session, each refusal exactly
 * as PROTOCOL.md shapes it, tenant admins managing the list, and the reason on the live dashboard.
 */
class AgentStatusReasonsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String reasons(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/away-reasons";
  }

  private static List<String> codes(JsonNode list) {
    List<String> codes = new ArrayList<>();
    list.forEach(r -> codes.add(r.path("code").asText()));
    return codes;
  }

  private static JsonNode hello(WsClient agent, TestServer.Setup s) {
    return agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
  }

  @Test
  void everyTenantStartsWithTheFiveDefaultsListedInWelcome() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent()) {
      JsonNode welcome = hello(agent, s);
      assertEquals("OFFLINE", welcome.path("status").asText());
      assertFalse(welcome.has("reason"));
      assertEquals(List.of("break", "meal", "training", "meeting", "after_call"), codes(welcome.path("awayReasons")));
      assertEquals(of("code", "meal", "name", "식사", "nameEn", "Meal"), welcome.path("awayReasons").get(1));
    }
    JsonNode listed = server.http().expect(200, "GET", reasons(s), s.agentToken(), null);
    assertEquals(of("code", "break", "name", "휴식", "nameEn", "Break", "enabled", true), listed.get(0));
    assertEquals(5, listed.size());
  }

  @Test
  void awayWithAReasonIsEchoedToEveryConsoleAndKeptForTheAgentsNextSession() {
    TestServer.Setup s = server.setUp();
    try (WsClient first = server.agent(); WsClient second = server.agent()) {
      hello(first, s);
      hello(second, s);
      JsonNode answer = first.send(of("type", "status", "rid", "s1", "status", "AWAY", "reason", "meal"))
          .next("status");
      assertEquals(of("type", "status", "rid", "s1", "status", "AWAY", "reason", "meal"), answer);
      assertEquals(of("type", "status", "status", "AWAY", "reason", "meal"), second.next("status"));
      second.close();
      try (WsClient again = server.agent()) {
        JsonNode welcome = hello(again, s);
        assertEquals("AWAY", welcome.path("status").asText());
        assertEquals("meal", welcome.path("reason").asText(), "a reconnect finds the reason the agent gave");
      }
      assertEquals(of("type", "status", "rid", "s2", "status", "AWAY"),
          first.send(of("type", "status", "rid", "s2", "status", "AWAY")).next("status"),
          "AWAY without a reason stays valid, and drops the one before");
      assertEquals(of("type", "status", "status", "ONLINE"),
          first.send(of("type", "status", "status", "ONLINE")).next("status"));
    }
  }

  @Test
  void aReasonThatIsUnknownDisabledMalformedOrWithAnotherStatusIsInvalidField() {
    TestServer.Setup s = server.setUp();
    server.http().expect(200, "PUT", reasons(s) + "/training", s.adminToken(), of("enabled", false));
    try (WsClient agent = server.agent()) {
      hello(agent, s);
      agent.send(of("type", "status", "status", "AWAY", "reason", "break")).next("status");
      List<Object[]> refused = List.of(
          new Object[] {"ONLINE", "break"}, new Object[] {"OFFLINE", "meal"}, new Object[] {"AWAY", "nap"},
          new Object[] {"AWAY", "training"}, new Object[] {"AWAY", ""}, new Object[] {"AWAY", "BREAK"},
          new Object[] {"AWAY", "x".repeat(33)}, new Object[] {"AWAY", 7}, new Object[] {"AWAY", List.of("meal")});
      int n = 0;
      for (Object[] frame : refused) {
        String rid = "r" + n++;
        JsonNode error = agent.send(of("type", "status", "rid", rid, "status", frame[0], "reason", frame[1]))
            .next("error");
        assertEquals(rid, error.path("rid").asText(), () -> "refused: " + List.of(frame));
        assertEquals("invalid_field", error.path("code").asText(), () -> "refused: " + List.of(frame));
        assertFalse(error.path("message").asText().isBlank());
      }
      JsonNode welcome;
      try (WsClient again = server.agent()) {
        welcome = hello(again, s);
      }
      assertEquals("AWAY", welcome.path("status").asText(), "nothing refused changed the status");
      assertEquals("break", welcome.path("reason").asText());
      assertEquals(List.of("break", "meal", "meeting", "after_call"), codes(welcome.path("awayReasons")),
          "a disabled reason is not offered");
    }
  }

  @Test
  void tenantAdminsAddRenameAndDisableReasonsAndBadInputIsRefused() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    String admin = tenantAdmin(s);
    JsonNode added = http.expect(201, "POST", reasons(s), admin, of("code", "coaching", "name", "코칭",
        "nameEn", "Coaching"));
    assertEquals(of("code", "coaching", "name", "코칭", "nameEn", "Coaching", "enabled", true), added);
    assertEquals(of("code", "meal", "name", "점심", "nameEn", "Lunch", "enabled", true),
        http.expect(200, "PUT", reasons(s) + "/meal", admin, of("name", "점심", "nameEn", "Lunch")));
    assertEquals(false, http.expect(200, "PUT", reasons(s) + "/meeting", admin, of("enabled", false))
        .path("enabled").asBoolean());
    String hostile = "<img src=x onerror=alert(1)>";
    assertEquals(hostile, http.expect(200, "PUT", reasons(s) + "/after_call", admin, of("name", hostile))
        .path("name").asText(), "a name is text, kept as written (the consoles never render it as HTML)");
    assertEquals(of("code", "after_call", "name", "후처리", "nameEn", null, "enabled", true),
        http.expect(200, "PUT", reasons(s) + "/after_call", admin, of("name", "후처리", "nameEn", " ")),
        "a blank English name removes it");

    assertEquals("conflict", http.send("POST", reasons(s), admin, of("code", "coaching", "name", "다시")).errorCode());
    assertEquals(409, http.send("POST", reasons(s), admin, of("code", "break", "name", "또 휴식")).status());
    for (Object code : List.of("Coaching", "with space", "한글", "", "x".repeat(33), 5)) {
      Http.Response r = http.send("POST", reasons(s), admin, of("code", code, "name", "이름"));
      assertEquals(422, r.status(), () -> "code " + code + ": " + r.body());
      assertEquals("invalid_field", r.errorCode());
    }
    assertEquals(422, http.send("POST", reasons(s), admin, of("code", "long", "name", "이".repeat(51))).status());
    assertEquals(422, http.send("POST", reasons(s), admin, of("code", "blank", "name", "   ")).status());
    assertEquals("missing_field", http.send("POST", reasons(s), admin, of("code", "noname")).errorCode());
    assertEquals(422, http.send("PUT", reasons(s) + "/meal", admin, of("enabled", "no")).status());
    assertEquals(400, http.send("POST", reasons(s), admin, "application/json",
        "{\"code\":".getBytes(StandardCharsets.UTF_8)).status());
    assertEquals(404, http.send("PUT", reasons(s) + "/nap", admin, of("name", "낮잠")).status());
    assertEquals(404, http.send("POST", reasons(other), admin, of("code", "x", "name", "남의 것")).status(),
        "another tenant's list is not found");
    assertEquals(404, http.send("GET", reasons(other), admin, null).status());
    assertEquals(403, http.send("POST", reasons(s), s.agentToken(), of("code", "mine", "name", "내 것")).status());
    assertEquals(403, http.send("PUT", reasons(s) + "/break", s.agentToken(), of("enabled", false)).status());
    String manager = manager(s);
    assertEquals(403, http.send("POST", reasons(s), manager, of("code", "mine", "name", "내 것")).status());

    JsonNode listed = http.expect(200, "GET", reasons(s), manager, null);
    assertEquals(List.of("break", "meal", "training", "meeting", "after_call", "coaching"), codes(listed),
        "nothing refused was stored; a disabled reason stays listed");
    try (WsClient agent = server.agent()) {
      JsonNode welcome = hello(agent, s);
      assertEquals(List.of("break", "meal", "training", "after_call", "coaching"), codes(welcome.path("awayReasons")));
      assertEquals("점심", welcome.path("awayReasons").get(1).path("name").asText());
      assertEquals("coaching", agent.send(of("type", "status", "status", "AWAY", "reason", "coaching"))
          .next("status").path("reason").asText(), "a reason added is usable at once");
    }
  }

  @Test
  void theLiveDashboardListsEachAgentsReason() {
    TestServer.Setup s = server.setUp();
    String manager = manager(s);
    try (WsClient agent = server.agent()) {
      hello(agent, s);
      agent.send(of("type", "status", "status", "AWAY", "reason", "after_call")).next("status");
      JsonNode kim = eventually("kim AWAY on the dashboard", () -> server.http().expect(200, "GET",
          "/api/dashboard", manager, null).path("tenants").get(0).path("centers").get(0).path("agentDetails").get(0),
          a -> a.path("status").asText().equals("AWAY"));
      assertEquals("after_call", kim.path("reason").asText());
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      JsonNode online = eventually("kim ONLINE on the dashboard", () -> server.http().expect(200, "GET",
          "/api/dashboard", manager, null).path("tenants").get(0).path("centers").get(0).path("agentDetails").get(0),
          a -> a.path("status").asText().equals("ONLINE"));
      assertFalse(online.has("reason"));
    }
  }

  private static String tenantAdmin(TestServer.Setup s) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lead",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    return server.http().login(s.tenant(), "lead", TestServer.STAFF_PASSWORD);
  }

  private static String manager(TestServer.Setup s) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    return server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
  }
}
