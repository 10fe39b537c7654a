package io.sangdam.channel;

import static io.sangdam.testing.ChannelChecks.assertInvalid;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant's channels over REST: who may manage them, what is checked, the secret shown once, the audit. */
class ChannelsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String channels(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/channels";
  }

  private static Object custom(String code) {
    return of("code", code, "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
        "http://192.0.2.1/out");
  }

  @Test
  void aCreatedChannelShowsItsSecretOnceAndIsReadWithoutIt() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    JsonNode created = http.expect(201, "POST", channels(s), s.adminToken(), custom("app"));
    assertEquals("app", created.path("code").asText());
    assertEquals("CUSTOM", created.path("kind").asText());
    assertEquals("seoul", created.path("center").asText());
    assertEquals("card", created.path("queue").asText());
    assertTrue(created.path("enabled").asBoolean());
    assertEquals("http://192.0.2.1/out", created.path("outboundUrl").asText());
    assertEquals("/channels/" + s.tenant() + "/app/inbound", created.path("inboundUrl").asText());
    String secret = created.path("secret").asText();
    assertTrue(secret.length() > 40, created.toString());

    JsonNode read = http.expect(200, "GET", channels(s) + "/app", s.adminToken(), null);
    assertFalse(read.has("secret"), read.toString());
    assertEquals("/channels/" + s.tenant() + "/app/inbound", read.path("inboundUrl").asText());
    JsonNode list = http.expect(200, "GET", channels(s), s.adminToken(), null);
    assertEquals(1, list.size());
    assertFalse(list.get(0).has("secret"));
    assertFalse(list.toString().contains(secret), "the secret is never shown again");

    JsonNode changed = http.expect(200, "PUT", channels(s) + "/app", s.adminToken(), of("enabled", false,
        "outboundUrl", "http://192.0.2.1/v2"));
    assertFalse(changed.path("enabled").asBoolean());
    assertEquals("http://192.0.2.1/v2", changed.path("outboundUrl").asText());
    assertEquals("card", changed.path("queue").asText(), "what is left out stays");
    assertFalse(changed.has("secret"));
    assertFalse(changed.toString().contains(secret));

    JsonNode audit = http.expect(200, "GET", "/api/audit?action=manage.post&tenant=" + s.tenant(), s.adminToken(),
        null).path("entries");
    String posted = audit.get(0).path("detail").asText();
    assertEquals(channels(s), audit.get(0).path("target").asText());
    assertTrue(posted.contains("\"route\":\"POST /api/tenants/{tenant}/channels\""), posted);
    assertFalse(posted.contains(secret), "the secret never reaches the audit log: " + posted);
    String put = http.expect(200, "GET", "/api/audit?action=manage.put&tenant=" + s.tenant(), s.adminToken(), null)
        .path("entries").get(0).path("detail").asText();
    assertTrue(put.contains("\"before\":{") && put.contains("192.0.2.1/out"), "the state before: " + put);
    assertTrue(put.contains("\"result\":{") && put.contains("192.0.2.1/v2"), "and after: " + put);
  }

  @Test
  void onlyHqAndTheTenantsAdminsManageChannels() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String chief = http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD);
    String manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);

    http.expect(201, "POST", channels(s), chief, custom("app"));
    http.expect(200, "GET", channels(s) + "/app", chief, null);
    http.expect(200, "PUT", channels(s) + "/app", chief, of("enabled", true));
    assertEquals(403, http.send("GET", channels(s), manager, null).status());
    assertEquals(403, http.send("POST", channels(s), manager, custom("app2")).status());
    assertEquals(403, http.send("GET", channels(s), s.agentToken(), null).status());
    assertEquals(403, http.send("PUT", channels(s) + "/app", s.agentToken(), of("enabled", false)).status());
    assertEquals(401, http.send("GET", channels(s), null, null).status());
    String otherChief = otherAdmin(other);
    assertEquals(404, http.send("GET", channels(s) + "/app", otherChief, null).status(), "another tenant's");
    assertEquals(404, http.send("POST", channels(s), otherChief, custom("app3")).status());
    assertEquals(404, http.send("GET", channels(s) + "/nope", chief, null).status());
  }

  private static String otherAdmin(TestServer.Setup other) {
    server.http().expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(),
        of("username", "chief", "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    return server.http().login(other.tenant(), "chief", TestServer.STAFF_PASSWORD);
  }

  @Test
  void badChannelsAreRefusedNamingTheField() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String admin = s.adminToken();
    assertInvalid(http.send("POST", channels(s), admin, of("code", "web", "kind", "CUSTOM", "center", "seoul",
        "queue", "card", "outboundUrl", "http://192.0.2.1/out")), "code");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "Bad Code", "kind", "CUSTOM", "center", "seoul",
        "queue", "card", "outboundUrl", "http://192.0.2.1/out")), "code");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "a", "kind", "TELEGRAM", "center", "seoul",
        "queue", "card")), "kind");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "a", "kind", "CUSTOM", "center", "busan",
        "queue", "card", "outboundUrl", "http://192.0.2.1/out")), "center");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "a", "kind", "CUSTOM", "center", "seoul",
        "queue", "loans", "outboundUrl", "http://192.0.2.1/out")), "queue");
    Http.Response missing = http.send("POST", channels(s), admin, of("code", "a", "kind", "CUSTOM", "center",
        "seoul", "queue", "card"));
    assertEquals(422, missing.status());
    assertEquals("missing_field", missing.errorCode());
    assertTrue(missing.body().path("error").path("message").asText().contains("outboundUrl"), missing.body().toString());
    assertInvalid(http.send("POST", channels(s), admin, of("code", "a", "kind", "CUSTOM", "center", "seoul",
        "queue", "card", "outboundUrl", "ftp://example.com/x")), "outboundUrl");
    assertEquals(400, http.send("POST", channels(s), admin, "{\"code\":").status());
    assertEquals(0, http.expect(200, "GET", channels(s), admin, null).size(), "nothing refused was stored");

    http.expect(201, "POST", channels(s), admin, custom("app"));
    assertEquals(409, http.send("POST", channels(s), admin, custom("app")).status());
    assertInvalid(http.send("PUT", channels(s) + "/app", admin, of("queue", "loans")), "queue");
    assertInvalid(http.send("PUT", channels(s) + "/app", admin, of("enabled", "yes")), "enabled");
    assertEquals("card", http.expect(200, "GET", channels(s) + "/app", admin, null).path("queue").asText());

    // The rating settings (PROTOCOL.md, "Ratings on channels"), each checked naming itself.
    assertInvalid(http.send("PUT", channels(s) + "/app", admin, of("rating", "maybe")), "rating");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "kakao", "kind", "KAKAO", "center", "seoul",
        "queue", "card", "apiUrl", "http://192.0.2.1/d", "clientId", "i", "clientSecret", "s", "senderKey", "k",
        "ratingWindowMinutes", "0")), "ratingWindowMinutes");
    assertInvalid(http.send("POST", channels(s), admin, of("code", "kakao", "kind", "KAKAO", "center", "seoul",
        "queue", "card", "apiUrl", "http://192.0.2.1/d", "clientId", "i", "clientSecret", "s", "senderKey", "k",
        "ratingText", " ")), "ratingText");
    assertEquals("off", http.expect(200, "PUT", channels(s) + "/app", admin, of("rating", "off")).path("rating")
        .asText());
    assertEquals(1, http.expect(200, "GET", channels(s), admin, null).size(), "nothing refused was stored");
  }

}
