package io.sangdam.api;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading, changing and disabling tenants, centers, queues and users; what a change does to those signed in. */
class ManagementIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String user(TestServer.Setup s, String username, String role, String center) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center", center));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static String helloError(TestServer.Setup s, String center) {
    try (WsClient customer = server.customer()) {
      return customer.send(of("type", "hello", "tenant", s.tenant(), "center", center)).next().path("code").asText();
    }
  }

  @Test
  void aDisabledTenantSignsItsUsersOutAndTakesNoCustomersUntilEnabledAgain() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String chief = user(s, "chief", "TENANT_ADMIN", null);
    String path = "/api/tenants/" + s.tenant();
    assertEquals("새 이름", http.expect(200, "PUT", path, chief, of("name", "새 이름")).path("name").asText());
    assertEquals(403, http.send("PUT", path, chief, of("enabled", false)).status(), "only HQ disables a tenant");
    assertEquals("새 이름", http.expect(200, "GET", path, chief, null).path("name").asText());

    http.expect(200, "PUT", path, s.adminToken(), of("enabled", false));
    assertEquals(401, http.send("GET", path, chief, null).status(), "its users' tokens stop working");
    assertEquals(401, http.send("POST", "/api/login", null, of("tenant", s.tenant(), "username", "chief",
        "password", TestServer.STAFF_PASSWORD)).status());
    assertEquals("not_found", helloError(s, "seoul"), "its customers cannot start");

    JsonNode enabled = http.expect(200, "PUT", path, s.adminToken(), of("enabled", true));
    assertEquals(true, enabled.path("enabled").asBoolean());
    http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD);
  }

  @Test
  void centersAndQueuesChangeAndADisabledOneTakesNoNewChats() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String center = "/api/tenants/" + s.tenant() + "/centers/seoul";
    JsonNode renamed = http.expect(200, "PUT", center, s.adminToken(), of("name", "서울 센터", "timezone", "Asia/Tokyo"));
    assertEquals("서울 센터", renamed.path("name").asText());
    assertEquals("Asia/Tokyo", renamed.path("timezone").asText());
    assertEquals(422, http.send("PUT", center, s.adminToken(), of("timezone", "Seoul")).status());
    http.expect(200, "PUT", center + "/hours", s.adminToken(), of("timezone", "Asia/Tokyo", "weekly",
        java.util.Map.of("MON", List.of(List.of("09:00", "18:00"))), "outOfHours", "ACCEPT"));
    assertEquals("field 'timezone' is the business hours' time zone here; change it with the hours",
        http.send("PUT", center, s.adminToken(), of("timezone", "Asia/Seoul")).body().path("error")
            .path("message").asText());
    http.expect(204, "DELETE", center + "/hours", s.adminToken(), null);

    String queue = center + "/queues/card";
    JsonNode changed = http.expect(200, "PUT", queue, s.adminToken(), of("policy", "ROUND_ROBIN",
        "maxChatsPerAgent", 5));
    assertEquals("ROUND_ROBIN", changed.path("policy").asText());
    assertEquals(5, changed.path("maxChatsPerAgent").asInt());
    http.expect(201, "POST", center + "/queues", s.adminToken(), of("code", "loan", "name", "대출", "policy",
        "LEAST_BUSY"));
    assertEquals(422, http.send("PUT", queue, s.adminToken(), of("overflowTo", "seoul/card", "overflowAfterSeconds",
        60)).status(), "a queue cannot overflow into itself");
    JsonNode overflowing = http.expect(200, "PUT", queue, s.adminToken(), of("overflowTo", "seoul/loan",
        "overflowAfterSeconds", 60));
    assertEquals("seoul/loan", overflowing.path("overflowTo").asText());
    JsonNode later = http.expect(200, "PUT", queue, s.adminToken(), of("overflowAfterSeconds", 90));
    assertEquals(90, later.path("overflowAfterSeconds").asInt(), "the wait alone can change");
    assertEquals("seoul/loan", later.path("overflowTo").asText());
    JsonNode cleared = http.expect(200, "PUT", queue, s.adminToken(), of("overflowTo", null));
    assertEquals(true, cleared.path("overflowTo").isNull());
    assertEquals(422, http.send("PUT", queue, s.adminToken(), of("policy", "RANDOM")).status());

    http.expect(200, "PUT", queue, s.adminToken(), of("enabled", false));
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      assertEquals("not_found", customer.send(of("type", "start", "queue", "card")).next("error").path("code")
          .asText(), "a disabled queue takes no new chats");
    }
    http.expect(200, "PUT", center, s.adminToken(), of("enabled", false));
    assertEquals("not_found", helloError(s, "seoul"), "nor a disabled center");
    assertEquals(false, http.expect(200, "GET", center, s.adminToken(), null).path("enabled").asBoolean());
  }

  @Test
  void usersChangeWithinTheCallersReachAndADisabledOneIsSignedOutAtOnce() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(), of("code", "busan", "name",
        "부산"));
    String boss = user(s, "boss", "CENTER_MANAGER", "seoul");
    user(s, "park", "AGENT", "busan");
    String users = "/api/tenants/" + s.tenant() + "/users/";

    // Kim's console below was opened with no queues; the change that gives them back reaches it.
    JsonNode kim = http.expect(200, "PUT", users + "kim", boss, of("maxChats", 4, "queues", List.of()));
    assertEquals(4, kim.path("maxChats").asInt());
    assertEquals(0, kim.path("queues").size());
    assertEquals(true, http.expect(200, "PUT", users + "kim", boss, of("maxChats", null)).path("maxChats").isNull());
    assertEquals(403, http.send("PUT", users + "kim", boss, of("role", "TENANT_ADMIN")).status(),
        "a manager cannot raise an agent above themselves");
    assertEquals(404, http.send("PUT", users + "park", boss, of("name", "x")).status(), "another center's agent");
    assertEquals(404, http.send("GET", users + "park", boss, null).status());
    assertEquals(200, http.send("PUT", users + "boss", s.adminToken(), of("name", "센터장")).status(),
        "HQ may change a manager");
    assertEquals(403, http.send("PUT", users + "boss", boss, of("name", "나")).status(),
        "a manager cannot change a manager, themselves included");
    String chief = user(s, "chief", "TENANT_ADMIN", null);
    assertEquals("you cannot disable your own account", http.send("PUT", users + "chief", chief,
        of("enabled", false)).body().path("error").path("message").asText());

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      http.expect(200, "PUT", users + "kim", boss, of("queues", List.of("card")));
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      agent.next("assigned");
      http.expect(200, "PUT", users + "kim", boss, of("enabled", false));
      assertEquals(1008, agent.awaitClose(), "the console is closed at once");
    }
    assertEquals(401, http.send("GET", "/api/tenants/" + s.tenant() + "/canned", s.agentToken(), null).status());
    assertEquals(401, http.send("POST", "/api/login", null, of("tenant", s.tenant(), "username", "kim",
        "password", "agent-pass-1")).status());
    http.expect(200, "PUT", users + "kim", boss, of("enabled", true));

    String kimToken = http.login(s.tenant(), "kim", "agent-pass-1");
    http.expect(204, "POST", users + "kim/password", boss, of("password", "new-pass-12"));
    assertEquals(401, http.send("GET", "/api/tenants/" + s.tenant() + "/canned", kimToken, null).status(),
        "a reset password ends the old sessions");
    http.login(s.tenant(), "kim", "new-pass-12");
    assertEquals(422, http.send("POST", users + "kim/password", boss, of("password", "short")).status());
  }

  @Test
  void listsComeInPages() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    for (String name : List.of("a1", "a2", "a3")) {
      user(s, name, "AGENT", "seoul");
    }
    String users = "/api/tenants/" + s.tenant() + "/users";
    JsonNode all = http.expect(200, "GET", users, s.adminToken(), null);
    assertEquals(4, all.size());
    JsonNode page = http.expect(200, "GET", users + "?limit=2&offset=1", s.adminToken(), null);
    assertEquals(List.of(all.get(1).path("username").asText(), all.get(2).path("username").asText()),
        List.of(page.get(0).path("username").asText(), page.get(1).path("username").asText()));
    assertEquals(0, http.expect(200, "GET", users + "?offset=10", s.adminToken(), null).size());
    assertEquals("field 'limit' must be a whole number from 1 to 500", http.send("GET", users + "?limit=0",
        s.adminToken(), null).body().path("error").path("message").asText());
  }
}
