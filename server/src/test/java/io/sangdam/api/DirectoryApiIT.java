package io.sangdam.api;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The REST API: setting up tenants, centers, queues and users; roles and scopes; and every kind of bad input. */
class DirectoryApiIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.maxRequestBytes", "4096");

  private Http http() {
    return server.http();
  }

  @Test
  void healthAndReadinessNeedNoToken() {
    assertEquals("UP", http().expect(200, "GET", "/health", null, null).path("status").asText());
    assertEquals("READY", http().expect(200, "GET", "/ready", null, null).path("status").asText());
  }

  @Test
  void loginAnswersTheTokenAndTheUserAndLogoutRevokesIt() {
    JsonNode login = http().expect(200, "POST", "/api/login", null,
        of("username", "admin", "password", TestServer.ADMIN_PASSWORD));
    String token = login.path("token").asText();
    assertTrue(token.length() >= 40);
    JsonNode user = login.path("user");
    assertEquals("admin", user.path("username").asText());
    assertEquals("HQ_ADMIN", user.path("role").asText());
    assertTrue(user.path("tenant").isNull());
    http().expect(200, "GET", "/api/tenants", token, null);
    http().expect(204, "POST", "/api/logout", token, null);
    assertEquals("unauthorized", http().send("GET", "/api/tenants", token, null).errorCode());
  }

  @Test
  void aWrongPasswordOrUnknownUserOrTenantIsTheSame401() {
    Http.Response wrong = http().send("POST", "/api/login", null, of("username", "admin", "password", "nope-nope"));
    assertEquals(401, wrong.status());
    assertEquals("unauthorized", wrong.errorCode());
    Http.Response unknown = http().send("POST", "/api/login", null, of("username", "ghost", "password", "x"));
    assertEquals(wrong.body(), unknown.body());
    Http.Response tenant = http().send("POST", "/api/login", null,
        of("tenant", "no-such", "username", "admin", "password", TestServer.ADMIN_PASSWORD));
    assertEquals(wrong.body(), tenant.body());
  }

  @Test
  void callsWithoutAValidTokenAre401() {
    assertEquals(401, http().send("GET", "/api/tenants", null, null).status());
    assertEquals(401, http().send("GET", "/api/tenants", "forged-token", null).status());
    assertEquals("unauthorized", http().send("POST", "/api/tenants", "x".repeat(500), of("code", "a")).errorCode());
  }

  @Test
  void malformedAndInvalidBodiesAreRefusedWithExactCodes() {
    String admin = server.adminToken();
    Http.Response malformed = http().send("POST", "/api/tenants", admin, "{\"code\":");
    assertEquals(400, malformed.status());
    assertEquals("bad_json", malformed.errorCode());
    assertEquals(400, http().send("POST", "/api/tenants", admin, null).status());
    assertEquals(400, http().send("POST", "/api/tenants", admin, "[]").status());

    Http.Response missing = http().send("POST", "/api/tenants", admin, of("code", "x1"));
    assertEquals(422, missing.status());
    assertEquals("missing_field", missing.errorCode());
    assertEquals("field 'name' is required", missing.body().path("error").path("message").asText());

    Http.Response badCode = http().send("POST", "/api/tenants", admin, of("code", "Has Spaces", "name", "x"));
    assertEquals(422, badCode.status());
    assertEquals("invalid_field", badCode.errorCode());

    String tenant = server.uniqueCode("v");
    http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "V"));
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/centers", admin,
        of("code", "seoul", "name", "서울", "timezone", "Mars/Olympus")).errorCode());
    http().expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, of("code", "seoul", "name", "서울"));
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/centers/seoul/queues", admin,
        of("code", "q", "name", "Q", "policy", "RANDOM")).errorCode());
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/centers/seoul/queues", admin,
        of("code", "q", "name", "Q", "policy", "MANUAL", "maxChatsPerAgent", 0)).errorCode());
    assertEquals("password_too_short", http().send("POST", "/api/tenants/" + tenant + "/users", admin,
        of("username", "u1", "password", "short", "name", "U", "role", "AGENT", "center", "seoul")).errorCode());
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/users", admin,
        of("username", "u1", "password", TestServer.STAFF_PASSWORD, "name", "U", "role", "GOD", "center", "seoul")).errorCode());
    assertEquals("missing_field", http().send("POST", "/api/tenants/" + tenant + "/users", admin,
        of("username", "u1", "password", TestServer.STAFF_PASSWORD, "name", "U", "role", "AGENT")).errorCode());
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/users", admin,
        of("username", "u1", "password", TestServer.STAFF_PASSWORD, "name", "U", "role", "AGENT", "center", "seoul",
            "queues", List.of("nosuch"))).errorCode());
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + tenant + "/users", admin,
        of("username", "u1", "password", TestServer.STAFF_PASSWORD, "name", "U", "role", "HQ_ADMIN")).errorCode());
  }

  @Test
  void duplicateCodesConflictAndCreateNothing() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    Http.Response tenant = http().send("POST", "/api/tenants", admin, of("code", s.tenant(), "name", "again"));
    assertEquals(409, tenant.status());
    assertEquals("conflict", tenant.errorCode());
    assertEquals(409, http().send("POST", "/api/tenants/" + s.tenant() + "/centers", admin,
        of("code", "seoul", "name", "again")).status());
    assertEquals(409, http().send("POST", "/api/tenants/" + s.tenant() + "/centers/seoul/queues", admin,
        of("code", "card", "name", "again", "policy", "LEAST_BUSY")).status());
    assertEquals(409, http().send("POST", "/api/tenants/" + s.tenant() + "/users", admin,
        of("username", "kim", "password", TestServer.STAFF_PASSWORD, "name", "again", "role", "AGENT", "center", "seoul"))
        .status());
    assertEquals(1, http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/users", admin, null).size());
    assertEquals(1, http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/centers", admin, null).size());
  }

  @Test
  void unknownTenantsCentersPathsAndMethods() {
    String admin = server.adminToken();
    Http.Response tenant = http().send("GET", "/api/tenants/no-such/centers", admin, null);
    assertEquals(404, tenant.status());
    assertEquals("not_found", tenant.errorCode());
    TestServer.Setup s = server.setUp();
    assertEquals(404, http().send("POST", "/api/tenants/" + s.tenant() + "/centers/busan/queues", admin,
        of("code", "q", "name", "Q", "policy", "LEAST_BUSY")).status());
    assertEquals(404, http().send("GET", "/api/nothing-here", admin, null).status());
    assertEquals(404, http().send("GET", "/favicon.ico", null, null).status());
    Http.Response method = http().send("DELETE", "/api/tenants", admin, null);
    assertEquals(405, method.status());
    assertEquals("method_not_allowed", method.errorCode());
  }

  @Test
  void aBodyOverTheLimitIs413() {
    Http.Response big = http().send("POST", "/api/tenants", server.adminToken(),
        of("code", "big", "name", "x".repeat(5000)));
    assertEquals(413, big.status());
    assertEquals("too_large", big.errorCode());
    assertEquals(200, http().send("GET", "/health", null, null).status());
  }

  @Test
  void createdUsersCarryTheirQueuesAndNeverAHash() {
    TestServer.Setup s = server.setUp();
    JsonNode user = http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(),
        of("username", "lee", "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul",
            "queues", List.of("card"), "maxChats", 4));
    assertEquals("seoul", user.path("center").asText());
    assertEquals("card", user.path("queues").get(0).asText());
    assertEquals(4, user.path("maxChats").asInt());
    assertFalse(user.toString().contains("pbkdf2"));
    assertFalse(user.has("password"));
    assertFalse(http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), null).toString()
        .contains("pbkdf2"));
  }

  @Test
  void aTenantAdminSeesAndManagesOnlyItsTenant() {
    TestServer.Setup a = server.setUp();
    TestServer.Setup b = server.setUp();
    http().expect(201, "POST", "/api/tenants/" + a.tenant() + "/users", a.adminToken(),
        of("username", "boss", "password", "tenant-pass-1", "name", "관리자", "role", "TENANT_ADMIN"));
    String boss = http().login(a.tenant(), "boss", "tenant-pass-1");

    JsonNode tenants = http().expect(200, "GET", "/api/tenants", boss, null);
    assertEquals(1, tenants.size());
    assertEquals(a.tenant(), tenants.get(0).path("code").asText());
    http().expect(201, "POST", "/api/tenants/" + a.tenant() + "/centers", boss, of("code", "busan", "name", "부산"));

    assertEquals(404, http().send("GET", "/api/tenants/" + b.tenant() + "/centers", boss, null).status());
    assertEquals(404, http().send("GET", "/api/tenants/" + b.tenant() + "/users", boss, null).status());
    assertEquals(404, http().send("POST", "/api/tenants/" + b.tenant() + "/centers", boss,
        of("code", "evil", "name", "x")).status());
    assertEquals(403, http().send("POST", "/api/tenants", boss, of("code", "mine", "name", "x")).status());
  }

  @Test
  void aCenterManagerWorksOnlyInItsCenterAndCreatesOnlyAgents() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", admin, of("code", "busan", "name", "부산"));
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", admin, of("username", "park", "password",
        TestServer.STAFF_PASSWORD, "name", "박매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    String manager = http().login(s.tenant(), "park", TestServer.STAFF_PASSWORD);

    JsonNode centers = http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/centers", manager, null);
    assertEquals(1, centers.size());
    assertEquals("seoul", centers.get(0).path("code").asText());
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers/seoul/queues", manager,
        of("code", "loan", "name", "대출", "policy", "ROUND_ROBIN"));
    assertEquals(404, http().send("POST", "/api/tenants/" + s.tenant() + "/centers/busan/queues", manager,
        of("code", "loan", "name", "대출", "policy", "ROUND_ROBIN")).status());
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", manager, of("username", "choi", "password",
        "agent-pass-3", "name", "최상담", "role", "AGENT", "center", "seoul", "queues", List.of("card", "loan")));
    assertEquals(404, http().send("POST", "/api/tenants/" + s.tenant() + "/users", manager, of("username", "jung",
        "password", "agent-pass-4", "name", "정상담", "role", "AGENT", "center", "busan")).status());
    assertEquals(403, http().send("POST", "/api/tenants/" + s.tenant() + "/users", manager, of("username", "up",
        "password", "admin-pass-5", "name", "x", "role", "TENANT_ADMIN")).status());
    assertEquals(403, http().send("POST", "/api/tenants/" + s.tenant() + "/centers", manager,
        of("code", "daegu", "name", "대구")).status());
    assertEquals(403, http().send("GET", "/api/tenants", manager, null).status());
    JsonNode users = http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/users", manager, null);
    assertTrue(users.size() >= 3);
    users.forEach(u -> assertEquals("seoul", u.path("center").asText()));
  }

  @Test
  void aQueueMayOverflowToAQueueOfAnotherCenterOfTheSameTenant() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String admin = s.adminToken();
    String queues = "/api/tenants/" + s.tenant() + "/centers/seoul/queues";
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", admin, of("code", "busan", "name", "부산"));
    http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers/busan/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY"));
    JsonNode queue = http().expect(201, "POST", queues, admin, of("code", "vip", "name", "VIP", "policy", "MANUAL",
        "overflowTo", "busan/card", "overflowAfterSeconds", 60));
    assertEquals("busan/card", queue.path("overflowTo").asText());
    assertEquals(60, queue.path("overflowAfterSeconds").asInt());
    JsonNode listed = http().expect(200, "GET", queues, admin, null);
    assertTrue(listed.toString().contains("\"overflowTo\":\"busan/card\""), listed.toString());

    assertEquals("invalid_field", http().send("POST", queues, admin, of("code", "a1", "name", "A", "policy",
        "LEAST_BUSY", "overflowTo", "busan/card")).errorCode());
    assertEquals("invalid_field", http().send("POST", queues, admin, of("code", "a2", "name", "A", "policy",
        "LEAST_BUSY", "overflowTo", "busan", "overflowAfterSeconds", 30)).errorCode());
    assertEquals("invalid_field", http().send("POST", queues, admin, of("code", "a3", "name", "A", "policy",
        "LEAST_BUSY", "overflowTo", "daegu/card", "overflowAfterSeconds", 30)).errorCode());
    assertEquals("invalid_field", http().send("POST", queues, admin, of("code", "a4", "name", "A", "policy",
        "LEAST_BUSY", "overflowTo", "busan/card", "overflowAfterSeconds", 0)).errorCode());
    assertEquals("invalid_field", http().send("POST", queues, admin, of("code", "a5", "name", "A", "policy",
        "LEAST_BUSY", "overflowAfterSeconds", 30)).errorCode());
    assertEquals("invalid_field", http().send("POST", "/api/tenants/" + other.tenant() + "/centers/seoul/queues",
        admin, of("code", "a6", "name", "A", "policy", "LEAST_BUSY", "overflowTo", "busan/card",
            "overflowAfterSeconds", 30)).errorCode(), "busan is not a center of the other tenant");
  }

  @Test
  void anAgentCannotManageAnything() {
    TestServer.Setup s = server.setUp();
    assertEquals(403, http().send("GET", "/api/tenants", s.agentToken(), null).status());
    assertEquals(403, http().send("GET", "/api/tenants/" + s.tenant() + "/centers", s.agentToken(), null).status());
    assertEquals(403, http().send("POST", "/api/tenants/" + s.tenant() + "/users", s.agentToken(),
        of("username", "x", "password", "password-1", "name", "x", "role", "AGENT", "center", "seoul")).status());
  }

  @Test
  void theSameUsernameMayExistInTwoTenants() {
    TestServer.Setup a = server.setUp();
    TestServer.Setup b = server.setUp();
    assertEquals("kim", a.agentUsername());
    assertEquals("kim", b.agentUsername());
    assertFalse(a.agentToken().equals(b.agentToken()));
  }
}
