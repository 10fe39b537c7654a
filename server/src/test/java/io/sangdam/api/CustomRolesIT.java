package io.sangdam.api;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant's custom roles through the real server: the two examples of issue 19 (a quality reviewer who reads the
 * transcripts of some centers and manages nothing; a supervisor without unmask), a role's change reaching its
 * holders, and every refusal (malformed, oversized, out of scope, repeated, hostile) with a clear error, audited.
 */
class CustomRolesIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final List<String> SUPERVISOR = List.of("manage.centers", "manage.users", "dashboard.read",
      "stats.read", "stats.export", "conversations.supervise", "transcripts.read", "callbacks.handle");

  private final Http http = server.http();

  @Test
  void aQualityReviewerReadsTheTranscriptsOfTheirCentersAndManagesNothing() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    for (String center : List.of("busan", "daegu")) {
      http.expect(201, "POST", t + "/centers", s.adminToken(), of("code", center, "name", center));
      http.expect(201, "POST", t + "/centers/" + center + "/queues", s.adminToken(), of("code", "card", "name",
          "카드", "policy", "LEAST_BUSY"));
      http.expect(201, "POST", t + "/users", s.adminToken(), of("username", "kim-" + center, "password",
          "agent-pass-1", "name", "상담 " + center, "role", "AGENT", "center", center, "queues", List.of("card")));
    }
    long seoul = chat(s.tenant(), "seoul", s.agentToken());
    long busan = chat(s.tenant(), "busan", http.login(s.tenant(), "kim-busan", "agent-pass-1"));
    long daegu = chat(s.tenant(), "daegu", http.login(s.tenant(), "kim-daegu", "agent-pass-1"));

    JsonNode role = http.expect(201, "POST", t + "/roles", s.adminToken(), of("name", "품질 평가", "base",
        "CENTER_MANAGER", "centers", List.of("busan"), "permissions", List.of("transcripts.read")));
    assertEquals(List.of("busan"), texts(role.path("centers")));
    JsonNode user = http.expect(201, "POST", t + "/users", s.adminToken(), of("username", "qa", "password",
        TestServer.STAFF_PASSWORD, "name", "품질 담당", "customRole", role.path("id").asLong(), "center", "seoul"));
    assertEquals("CENTER_MANAGER", user.path("role").asText(), "role keeps naming a built-in role");
    assertEquals("품질 평가", user.path("customRole").path("name").asText());
    JsonNode login = http.expect(200, "POST", "/api/login", null, of("tenant", s.tenant(), "username", "qa",
        "password", TestServer.STAFF_PASSWORD));
    assertEquals(List.of("transcripts.read"), texts(login.path("user").path("permissions")));
    String qa = login.path("token").asText();

    List<Long> found = new ArrayList<>();
    http.expect(200, "GET", t + "/conversations", qa, null).path("conversations")
        .forEach(c -> found.add(c.path("id").asLong()));
    assertTrue(found.contains(seoul) && found.contains(busan), "their own center and the role's: " + found);
    assertFalse(found.contains(daegu), "no other center: " + found);
    http.expect(200, "GET", "/api/conversations/" + busan, qa, null);
    assertEquals(404, http.send("GET", "/api/conversations/" + daegu, qa, null).status());
    assertEquals(404, http.send("GET", t + "/conversations?center=daegu", qa, null).status());

    Http.Response unmask = http.send("POST", "/api/conversations/" + busan + "/unmask", qa,
        of("field", "customerName"));
    assertEquals(403, unmask.status());
    assertTrue(unmask.body().path("error").path("message").asText().contains("pii.unmask"), unmask.body().toString());
    for (String[] call : new String[][] {{"GET", "/api/stats?scope=" + s.tenant() + "/seoul&from=2026-01-01"
        + "&to=2026-01-31"}, {"GET", "/api/dashboard"}, {"GET", t + "/users"}, {"GET", t + "/centers/seoul/queues"},
        {"GET", t + "/roles"}, {"GET", t + "/callbacks"}}) {
      assertEquals(403, http.send(call[0], call[1], qa, null).status(), call[1]);
    }
  }

  @Test
  void aSupervisorWithoutUnmaskWatchesAndWhispersButSeesNoPersonalData() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    long role = http.expect(201, "POST", t + "/roles", s.adminToken(), of("name", "수퍼바이저", "base",
        "CENTER_MANAGER", "permissions", SUPERVISOR)).path("id").asLong();
    http.expect(201, "POST", t + "/users", s.adminToken(), of("username", "sv", "password", "super-pass-1", "name",
        "수퍼바이저", "customRole", role, "center", "seoul"));
    String sv = http.login(s.tenant(), "sv", "super-pass-1");
    try (WsClient kim = server.agent(); WsClient customer = server.customer(); WsClient watcher = server.agent()) {
      long id = server.assignedChat(s, kim, customer);
      JsonNode welcome = watcher.send(of("type", "hello", "token", sv)).next("welcome");
      assertEquals("수퍼바이저", welcome.path("user").path("customRole").path("name").asText());
      assertFalse(texts(welcome.path("user").path("permissions")).contains("pii.unmask"));
      assertEquals(id, watcher.send(of("type", "watch", "conversation", id)).next("watching").path("conversation")
          .path("id").asLong());
      watcher.send(of("type", "whisper", "conversation", id, "cmid", "w-1", "text", "천천히 안내하세요"));
      assertTrue(watcher.next("ack").path("note").asBoolean());
      http.expect(200, "GET", "/api/conversations/" + id, sv, null);
      assertEquals(403, http.send("POST", "/api/conversations/" + id + "/unmask", sv, of("field", "customerName"))
          .status());
      http.expect(200, "GET", "/api/dashboard", sv, null);
    }
    // They manage agents, but give no one what they lack themselves: a built-in manager holds pii.unmask.
    http.expect(201, "POST", t + "/users", sv, of("username", "new-agent", "password", "agent-pass-2", "name",
        "신입", "role", "AGENT", "center", "seoul"));
    assertEquals(403, http.send("POST", t + "/users", sv, of("username", "boss", "password", TestServer.STAFF_PASSWORD, "name",
        "센터장", "role", "CENTER_MANAGER", "center", "seoul")).status());
  }

  @Test
  void aChangedRoleSignsItsHoldersOutAndTheirNextSignInCarriesTheNewPermissions() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    long role = http.expect(201, "POST", t + "/roles", s.adminToken(), of("name", "검토", "base", "CENTER_MANAGER",
        "permissions", List.of("transcripts.read"))).path("id").asLong();
    http.expect(201, "POST", t + "/users", s.adminToken(), of("username", "qa", "password", TestServer.STAFF_PASSWORD,
        "name", "검토자", "customRole", role, "center", "seoul"));
    String before = http.login(s.tenant(), "qa", TestServer.STAFF_PASSWORD);
    assertEquals(403, http.send("GET", "/api/dashboard", before, null).status());

    http.expect(200, "PUT", t + "/roles/" + role, s.adminToken(), of("permissions", List.of("transcripts.read",
        "dashboard.read")));
    assertEquals(401, http.send("GET", "/api/me", before, null).status(), "signed out at the change");
    String after = http.login(s.tenant(), "qa", TestServer.STAFF_PASSWORD);
    http.expect(200, "GET", "/api/dashboard", after, null);
    assertTrue(texts(http.expect(200, "GET", "/api/me", after, null).path("user").path("permissions"))
        .contains("dashboard.read"));

    // Taking the role away leaves the user on its base, a built-in center manager, and signs them out too.
    JsonNode plain = http.expect(200, "PUT", t + "/users/qa", s.adminToken(), of("customRole", null));
    assertTrue(plain.path("customRole").isNull());
    assertEquals("CENTER_MANAGER", plain.path("role").asText());
    assertEquals(401, http.send("GET", "/api/me", after, null).status());
    assertTrue(texts(http.expect(200, "GET", "/api/me", http.login(s.tenant(), "qa", TestServer.STAFF_PASSWORD), null)
        .path("user").path("permissions")).contains("pii.unmask"));
  }

  @Test
  void badRolesAreRefusedWithAClearErrorAndAudited() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    String admin = s.adminToken();
    expectRefused(422, "a role needs at least one permission", t + "/roles", admin, of("name", "빈 역할", "base",
        "AGENT", "permissions", List.of()));
    expectRefused(422, "a role needs at least one permission", t + "/roles", admin, of("name", "빈 역할", "base",
        "AGENT"));
    expectRefused(422, "unknown permission 'everything'", t + "/roles", admin, of("name", "x", "base", "AGENT",
        "permissions", List.of("everything")));
    expectRefused(422, "must be an array", t + "/roles", admin, of("name", "x", "base", "AGENT", "permissions",
        "transcripts.read"));
    expectRefused(422, "at most 50 characters", t + "/roles", admin, of("name", "가".repeat(51), "base", "AGENT",
        "permissions", List.of("transcripts.read")));
    expectRefused(422, "control characters", t + "/roles", admin, of("name", "역할\u0000<script>", "base", "AGENT",
        "permissions", List.of("transcripts.read")));
    expectRefused(422, "must not be blank", t + "/roles", admin, of("name", "   ", "base", "AGENT",
        "permissions", List.of("transcripts.read")));
    expectRefused(422, "not a tenant role", t + "/roles", admin, of("name", "x", "base", "HQ_ADMIN",
        "permissions", List.of("transcripts.read")));
    expectRefused(422, "only for a role on the center manager's level", t + "/roles", admin, of("name", "x", "base",
        "AGENT", "centers", List.of("seoul"), "permissions", List.of("transcripts.read")));
    expectRefused(422, "unknown center 'nowhere'", t + "/roles", admin, of("name", "x", "base", "CENTER_MANAGER",
        "centers", List.of("nowhere"), "permissions", List.of("transcripts.read")));
    expectRefused(403, "reaches past one tenant", t + "/roles", admin, of("name", "x", "base", "TENANT_ADMIN",
        "permissions", List.of("tenants.manage")));
    expectRefused(422, "field 'base' is required", t + "/roles", admin, "{\"name\":\"x\",\"permissions\":[1]}");
    // A center reviewer who could read the audit log or erase customers would reach the whole tenant.
    expectRefused(422, "audit.read, retention.manage, which reach the whole tenant", t + "/roles", admin, of("name",
        "x", "base", "CENTER_MANAGER", "permissions", List.of("transcripts.read", "audit.read", "retention.manage")));

    long reviewer = http.expect(201, "POST", t + "/roles", admin, of("name", "검토", "base", "CENTER_MANAGER",
        "permissions", List.of("transcripts.read"))).path("id").asLong();
    expectRefused(409, "already exists", t + "/roles", admin, of("name", "검토", "base", "AGENT",
        "permissions", List.of("transcripts.read")));
    expectRefused(422, "cannot change", t + "/roles/" + reviewer, admin, of("base", "AGENT"), "PUT");

    // Never more than the creator holds: a tenant-wide role that shapes roles but cannot unmask.
    long shaper = http.expect(201, "POST", t + "/roles", admin, of("name", "역할 관리", "base", "TENANT_ADMIN",
        "permissions", List.of("manage.roles", "transcripts.read"))).path("id").asLong();
    http.expect(201, "POST", t + "/users", admin, of("username", "shaper", "password", TestServer.STAFF_PASSWORD, "name",
        "역할 담당", "customRole", shaper));
    String shaperToken = http.login(s.tenant(), "shaper", TestServer.STAFF_PASSWORD);
    expectRefused(403, "you do not hold it", t + "/roles", shaperToken, of("name", "몰래", "base", "CENTER_MANAGER",
        "permissions", List.of("transcripts.read", "pii.unmask")));
    http.expect(201, "POST", t + "/roles", shaperToken, of("name", "읽기", "base", "AGENT", "permissions",
        List.of("transcripts.read")));
    expectRefused(403, "you do not hold it", t + "/roles/" + reviewer, shaperToken, of("permissions",
        List.of("pii.unmask")), "PUT");

    // Out of scope: another tenant's admin, and another tenant's role given to a user here.
    long elsewhere = http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/roles", other.adminToken(),
        of("name", "남의 역할", "base", "AGENT", "permissions", List.of("transcripts.read"))).path("id").asLong();
    String otherAdmin = tenantAdmin(other);
    assertEquals(404, http.send("GET", t + "/roles/" + reviewer, otherAdmin, null).status());
    assertEquals(404, http.send("GET", t + "/roles/" + elsewhere, admin, null).status());
    assertEquals(404, http.send("GET", t + "/roles/abc", admin, null).status());
    expectRefused(422, "names no role of this tenant", t + "/users", admin, of("username", "x1", "password",
        "x-pass-123", "name", "x", "customRole", elsewhere, "center", "seoul"));
    expectRefused(422, "must be a positive whole number", t + "/users", admin, of("username", "x1", "password",
        "x-pass-123", "name", "x", "customRole", "검토", "center", "seoul"));
    expectRefused(422, "must be the custom role's base", t + "/users", admin, of("username", "x1", "password",
        "x-pass-123", "name", "x", "role", "AGENT", "customRole", reviewer, "center", "seoul"));

    // Held, a role is not deleted; given up by its last holder, it is.
    http.expect(201, "POST", t + "/users", admin, of("username", "qa", "password", TestServer.STAFF_PASSWORD, "name", "검토자",
        "customRole", reviewer, "center", "seoul"));
    expectRefused(409, "is held by 1 user(s)", t + "/roles/" + reviewer, admin, null, "DELETE");
    assertEquals(1, http.expect(200, "GET", t + "/roles/" + reviewer, admin, null).path("holders").asInt());
    http.expect(200, "PUT", t + "/users/qa", admin, of("customRole", null, "role", "AGENT"));
    http.expect(204, "DELETE", t + "/roles/" + reviewer, admin, null);
    assertEquals(404, http.send("DELETE", t + "/roles/" + reviewer, admin, null).status(), "repeated");

    String refusals = http.expect(200, "GET", "/api/audit?action=role.refused&tenant=" + s.tenant(), admin, null)
        .toString();
    assertTrue(refusals.contains("a role needs at least one permission"), refusals);
    assertTrue(refusals.contains("you may not grant pii.unmask"), refusals);
    assertTrue(refusals.contains("is held by 1 user(s)"), refusals);
  }

  private void expectRefused(int status, String says, String path, String token, Object body) {
    expectRefused(status, says, path, token, body, "POST");
  }

  private void expectRefused(int status, String says, String path, String token, Object body, String method) {
    Http.Response r = http.send(method, path, token, body);
    assertEquals(status, r.status(), r.body().toString());
    assertTrue(r.body().path("error").path("message").asText().contains(says), r.body().toString());
  }

  private String tenantAdmin(TestServer.Setup s) {
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    return http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD);
  }

  /** A conversation in {@code center} (queue card), carried by the agent of {@code agentToken}, then closed. */
  private long chat(String tenant, String center, String agentToken) {
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", agentToken)).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", tenant, "center", center, "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", "안녕하세요")).next("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");
      return id;
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
