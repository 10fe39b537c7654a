package io.sangdam.audit;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Logins and management changes are on the record; HQ reads all of it, a tenant admin their tenant's. */
class AuditLogIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static JsonNode entries(String token, String query) {
    return server.http().expect(200, "GET", "/api/audit" + query, token, null).path("entries");
  }

  @Test
  void loginsAndChangesAreRecordedWithoutSecretsAndReadWithinScope() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    assertEquals(401, http.send("POST", "/api/login", null, of("tenant", s.tenant(), "username", "kim",
        "password", "wrong-password")).status());
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    String chief = http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD);

    JsonNode failed = entries(chief, "?action=auth.login.failed").get(0);
    assertEquals(s.tenant() + "/kim", failed.path("target").asText());
    assertEquals("127.0.0.1", failed.path("address").asText());
    JsonNode login = entries(chief, "?action=auth.login&actor=chief").get(0);
    assertEquals("auth.login", login.path("action").asText());

    JsonNode created = entries(chief, "?action=manage.post").get(0);
    assertEquals("manage.post", created.path("action").asText());
    assertEquals("/api/tenants/" + s.tenant() + "/users", created.path("target").asText());
    assertTrue(created.path("detail").asText().contains("\"route\":\"POST /api/tenants/{tenant}/users\""));
    assertEquals("admin", created.path("actor").asText());
    assertEquals(s.tenant(), created.path("tenant").asText());
    assertTrue(created.path("detail").asText().contains("\"username\":\"chief\""), created.path("detail").asText());
    assertFalse(created.path("detail").asText().contains(TestServer.STAFF_PASSWORD), "a password never reaches the log");

    http.expect(200, "PUT", "/api/tenants/" + s.tenant() + "/users/chief", s.adminToken(), of("name", "새 관리자"));
    String change = entries(chief, "?action=manage.put").get(0).path("detail").asText();
    assertTrue(change.contains("\"before\":{") && change.contains("\"name\":\"관리자\""), "the state before: " + change);
    assertTrue(change.contains("\"result\":{") && change.contains("\"name\":\"새 관리자\""), "and after: " + change);

    for (JsonNode e : entries(chief, "?limit=200")) {
      assertEquals(s.tenant(), e.path("tenant").asText(), "a tenant admin reads only their tenant's entries");
    }
    assertEquals(404, http.send("GET", "/api/audit?tenant=" + other.tenant(), chief, null).status());
    assertTrue(entries(s.adminToken(), "?tenant=" + other.tenant()).size() > 0, "HQ reads every tenant's");
    assertEquals(403, http.send("GET", "/api/audit", s.agentToken(), null).status());

    JsonNode first = http.expect(200, "GET", "/api/audit?limit=1", chief, null);
    JsonNode second = http.expect(200, "GET", "/api/audit?limit=1&cursor=" + first.path("nextCursor").asText(),
        chief, null);
    assertTrue(second.path("entries").get(0).path("id").asLong() < first.path("entries").get(0).path("id").asLong());
    assertEquals(422, http.send("GET", "/api/audit?limit=0", chief, null).status());
    assertEquals(422, http.send("GET", "/api/audit?cursor=abc", chief, null).status());
    assertEquals(422, http.send("GET", "/api/audit?from=last-week", chief, null).status());
    assertEquals(405, http.send("DELETE", "/api/audit", s.adminToken(), null).status(), "the log cannot be changed");
  }
}
