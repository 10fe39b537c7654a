package io.sangdam.auth;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19 item 4 against the real server: forced change of generated, reset and expired passwords,
 * the policy's rules and reuse limit, token lifetime and renewal, idle refusal, and address ranges.
 */
class PasswordPolicyIT {
  private static final ManualTime clock = new ManualTime(Instant.parse("2026-12-01T09:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(clock);

  private final Http http = server.http();

  private static String users(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/users";
  }

  private static String policy(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/security-policy";
  }

  private JsonNode login(TestServer.Setup s, String username, String password) {
    return http.expect(200, "POST", "/api/login", null, of("tenant", s.tenant(), "username", username,
        "password", password));
  }

  private String canned(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/canned";
  }

  private Http.Response change(String token, String current, String next) {
    return http.send("POST", "/api/me/password", token, of("current", current, "new", next));
  }

  @Test
  void aGeneratedPasswordSignsInOnlyToBeChanged() {
    TestServer.Setup s = server.setUp();
    JsonNode created = http.expect(201, "POST", users(s), s.adminToken(), of("username", "lee", "name", "이상담",
        "role", "AGENT", "center", "seoul"));
    String generated = created.path("password").asText();
    assertEquals(19, generated.length(), "four groups of four, answered once: " + created);
    String audit = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=manage.post",
        s.adminToken(), null).toString();
    assertFalse(audit.contains(generated), "the generated password is not in the audit log");

    JsonNode signedIn = login(s, "lee", generated);
    assertTrue(signedIn.path("passwordChangeRequired").asBoolean(), signedIn.toString());
    String restricted = signedIn.path("token").asText();
    Http.Response elsewhere = http.send("GET", canned(s), restricted, null);
    assertEquals(403, elsewhere.status());
    assertEquals("password_change_required", elsewhere.errorCode());
    assertEquals(200, http.send("GET", "/api/me", restricted, null).status(), "who they are, to greet them");
    assertEquals(403, http.send("POST", "/api/token/renew", restricted, null).status(), "nor renewed");
    try (WsClient agent = server.agent()) {
      JsonNode refused = agent.send(of("type", "hello", "token", restricted)).next("error");
      assertEquals("password_change_required", refused.path("code").asText(), "no console socket either");
    }
    JsonNode status = http.expect(200, "GET", "/api/me/password", restricted, null);
    assertTrue(status.path("changeRequired").asBoolean());
    assertEquals(10, status.path("rules").path("minLength").asInt(), "the default: 10 characters of 3 kinds");
    assertEquals(3, status.path("rules").path("charClasses").asInt());

    assertEquals("password_too_short", change(restricted, generated, "Ab1-short").errorCode());
    assertEquals("password_too_simple", change(restricted, generated, "onlylowercase-").errorCode());
    assertEquals("password_has_username", change(restricted, generated, "Lee-2026-spring").errorCode());
    assertEquals("password_reused", change(restricted, generated, generated).errorCode(),
        "the generated one itself: " + generated);
    Http.Response wrong = change(restricted, "Not-the-current-1", "Spring-2026-ok");
    assertEquals(422, wrong.status());
    assertEquals("current", wrong.body().path("error").path("field").asText());
    assertEquals(400, http.send("POST", "/api/me/password", restricted, "{not json").status());
    Http.Response tooLong = change(restricted, generated, "A1-" + "x".repeat(200));
    assertEquals("new", tooLong.body().path("error").path("field").asText(), "over 200 characters");
    assertEquals(422, http.send("POST", "/api/me/password", restricted, of("new", "Spring-2026-ok")).status(),
        "the current password is needed");

    JsonNode changed = http.expect(200, "POST", "/api/me/password", restricted,
        of("current", generated, "new", "Spring-2026-ok"));
    assertEquals(401, http.send("GET", "/api/me", restricted, null).status(), "the change signed the old one out");
    assertEquals(200, http.send("GET", canned(s), changed.path("token").asText(), null).status());
    assertFalse(login(s, "lee", "Spring-2026-ok").path("passwordChangeRequired").asBoolean());
    String actions = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=auth.password",
        s.adminToken(), null).toString();
    assertTrue(actions.contains("auth.password.changed") && actions.contains("auth.password.failed"), actions);
  }

  @Test
  void aPasswordAnAdministratorResetMustBeChanged() {
    TestServer.Setup s = server.setUp();
    http.expect(204, "POST", users(s) + "/kim/password", s.adminToken(), of("password", "handed-over-1"));
    assertTrue(login(s, "kim", "handed-over-1").path("passwordChangeRequired").asBoolean());
    JsonNode generated = http.expect(200, "POST", users(s) + "/kim/password", s.adminToken(), of());
    JsonNode signedIn = login(s, "kim", generated.path("password").asText());
    assertTrue(signedIn.path("passwordChangeRequired").asBoolean());
  }

  @Test
  void aPasswordAnAdministratorTypesFollowsTheTenantsPolicy() {
    TestServer.Setup s = server.setUp();
    Object[] lee = {"username", "lee", "name", "이상담", "role", "AGENT", "center", "seoul"};
    for (String[] refused : new String[][] {{"Short-1", "password_too_short"},
        {"longbutonlylower", "password_too_simple"}, {"Lee-2026-pass", "password_has_username"}}) {
      Http.Response answer = http.send("POST", users(s), s.adminToken(), of(with(lee, "password", refused[0])));
      assertEquals(refused[1], answer.errorCode(), refused[0]);
      assertEquals("password", answer.body().path("error").path("field").asText());
      assertEquals(422, http.send("POST", users(s) + "/kim/password", s.adminToken(),
          of("password", refused[0].replace("Lee", "Kim"))).status(), refused[0]);
    }
    assertEquals(404, http.send("GET", users(s) + "/lee", s.adminToken(), null).status(), "nothing was created");
    http.login(s.tenant(), "kim", "agent-pass-1");

    http.expect(200, "PUT", policy(s), s.adminToken(), of("minLength", 16, "charClasses", 4));
    assertEquals("password_too_short", http.send("POST", users(s), s.adminToken(),
        of(with(lee, "password", TestServer.STAFF_PASSWORD))).errorCode(), "the tenant's own policy applies");
    assertEquals("password_too_simple", http.send("POST", users(s), s.adminToken(),
        of(with(lee, "password", "sixteen-chars-ok-1"))).errorCode());
    http.expect(201, "POST", users(s), s.adminToken(), of(with(lee, "password", "Sixteen-chars-ok-1")));
    assertFalse(login(s, "lee", "Sixteen-chars-ok-1").path("passwordChangeRequired").asBoolean(),
        "typed under the rules: no change required unless asked");
  }

  private static Object[] with(Object[] body, String name, Object value) {
    Object[] out = java.util.Arrays.copyOf(body, body.length + 2);
    out[body.length] = name;
    out[body.length + 1] = value;
    return out;
  }

  @Test
  void anExpiredPasswordMustBeChangedAndOneOfTheLastMayNotBeChosenAgain() {
    TestServer.Setup s = server.setUp();
    http.expect(200, "PUT", policy(s), s.adminToken(), of("expiryDays", 30, "reuseLimit", 3));
    assertFalse(login(s, "kim", "agent-pass-1").path("passwordChangeRequired").asBoolean());
    clock.advance(Duration.ofDays(30));
    JsonNode expired = login(s, "kim", "agent-pass-1");
    assertTrue(expired.path("passwordChangeRequired").asBoolean(), "30 days on, it expired");
    String token = expired.path("token").asText();

    token = http.expect(200, "POST", "/api/me/password", token, of("current", "agent-pass-1", "new", "Second-pw-22"))
        .path("token").asText();
    assertEquals("password_reused", change(token, "Second-pw-22", "agent-pass-1").errorCode(), "the last but one");
    token = http.expect(200, "POST", "/api/me/password", token, of("current", "Second-pw-22", "new", "Third-pw-333"))
        .path("token").asText();
    assertEquals("password_reused", change(token, "Third-pw-333", "agent-pass-1").errorCode(), "the third last");
    token = http.expect(200, "POST", "/api/me/password", token, of("current", "Third-pw-333", "new", "Fourth-pw-44"))
        .path("token").asText();
    http.expect(200, "POST", "/api/me/password", token, of("current", "Fourth-pw-44", "new", "agent-pass-1"));
    assertFalse(login(s, "kim", "agent-pass-1").path("passwordChangeRequired").asBoolean(),
        "four back, it may be chosen again, and counts from now");
  }

  @Test
  void aTokenLivesItsPolicysLifetimeUnlessRenewed() {
    TestServer.Setup s = server.setUp();
    http.expect(200, "PUT", policy(s), s.adminToken(), of("tokenMinutes", 30));
    JsonNode signedIn = login(s, "kim", "agent-pass-1");
    String token = signedIn.path("token").asText();
    assertEquals(clock.instant().plus(Duration.ofMinutes(30)).toString(), signedIn.path("expiresAt").asText());
    clock.advance(Duration.ofMinutes(20));
    JsonNode renewed = http.expect(200, "POST", "/api/token/renew", token, null);
    assertEquals(clock.instant().plus(Duration.ofMinutes(30)).toString(), renewed.path("expiresAt").asText());
    assertEquals(renewed.path("expiresAt").asText(),
        http.expect(200, "GET", "/api/me/session", token, null).path("expiresAt").asText());
    clock.advance(Duration.ofMinutes(20));
    assertEquals(200, http.send("GET", "/api/me", token, null).status(), "40 minutes after sign-in, renewed at 20");
    clock.advance(Duration.ofMinutes(10));
    assertEquals(401, http.send("GET", "/api/me", token, null).status(), "30 minutes after its renewal");
    assertEquals(401, http.send("POST", "/api/token/renew", token, null).status(), "an expired one is not renewed");
  }

  @Test
  void aTokenUnusedLongerThanTheIdleLimitIsRefused() {
    TestServer.Setup s = server.setUp();
    http.expect(200, "PUT", policy(s), s.adminToken(), of("idleMinutes", 10));
    String token = login(s, "kim", "agent-pass-1").path("token").asText();
    assertEquals(10, http.expect(200, "GET", "/api/me/session", token, null).path("idleMinutes").asInt());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(9));
      assertEquals(200, http.send("GET", "/api/me", token, null).status(), "used every 9 minutes");
    }
    clock.advance(Duration.ofMinutes(10));
    Http.Response idle = http.send("GET", "/api/me", token, null);
    assertEquals(401, idle.status());
    assertTrue(idle.body().path("error").path("message").asText().contains("10 minutes without use"), idle.body()
        .toString());
    Http.Response again = http.send("GET", "/api/me", token, null);
    assertEquals("invalid or expired token", again.body().path("error").path("message").asText(),
        "it was revoked, not only refused");
  }

  @Test
  void theAdminConsoleMayBeLimitedToAddressRangesAndAgentsApart() {
    TestServer.Setup s = server.setUp();
    http.expect(201, "POST", users(s), s.adminToken(), of("username", "chief", "password", TestServer.STAFF_PASSWORD,
        "name", "관리자", "role", "TENANT_ADMIN"));
    String chief = login(s, "chief", TestServer.STAFF_PASSWORD).path("token").asText();
    Http.Response shutOut = http.send("PUT", policy(s), chief, of("adminRanges", List.of("10.0.0.0/8")));
    assertEquals(409, shutOut.status(), "a tenant admin cannot shut themselves out");

    http.expect(200, "PUT", policy(s), s.adminToken(), of("adminRanges", List.of("10.0.0.0/8", "fd00::/8")));
    Http.Response outside = http.send("GET", canned(s), chief, null);
    assertEquals(403, outside.status());
    assertEquals("address_not_allowed", outside.errorCode());
    Http.Response signIn = http.send("POST", "/api/login", null, of("tenant", s.tenant(), "username", "chief",
        "password", TestServer.STAFF_PASSWORD));
    assertEquals("address_not_allowed", signIn.errorCode(), "nor signs in from outside");
    assertEquals(200, http.send("GET", canned(s), s.agentToken(), null).status(), "agents have a list of their own");
    String refusals = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=auth.address.refused",
        s.adminToken(), null).toString();
    assertTrue(refusals.contains("127.0.0.1"), refusals);

    http.expect(200, "PUT", policy(s), s.adminToken(), of("agentRanges", List.of("192.168.0.0/16")));
    assertEquals("address_not_allowed", http.send("GET", canned(s), s.agentToken(), null).errorCode());
    http.expect(200, "PUT", policy(s), s.adminToken(), of("adminRanges", List.of("127.0.0.0/8"),
        "agentRanges", List.of("127.0.0.1")));
    assertEquals(200, http.send("GET", canned(s), chief, null).status(), "inside the range");
    assertEquals(200, http.send("GET", canned(s), s.agentToken(), null).status());
  }

  @Test
  void aPolicyIsReadByItsAdminsAndRefusesWhatIsNoSetting() {
    TestServer.Setup s = server.setUp();
    JsonNode inherited = http.expect(200, "GET", policy(s), s.adminToken(), null);
    assertFalse(inherited.path("own").asBoolean(), "HQ's, until the tenant saves its own");
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(), of("minLength", 8)).errorCode(),
        "never below 10");
    assertEquals("minLength", http.send("PUT", policy(s), s.adminToken(), of("minLength", 8)).body().path("error")
        .path("field").asText());
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(), of("charClasses", 5)).errorCode());
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(), of("idleMinutes", 1)).errorCode());
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(), of("lockout", 3)).errorCode(),
        "an unknown setting is refused, not ignored");
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(),
        of("adminRanges", List.of("example.com/24"))).errorCode(), "no host names: nothing is looked up");
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(),
        of("adminRanges", List.of("10.0.0.0/33"))).errorCode());
    assertEquals("invalid_field", http.send("PUT", policy(s), s.adminToken(),
        of("adminRanges", Collections.nCopies(51, "10.0.0.0/8"))).errorCode());
    assertEquals(400, http.send("PUT", policy(s), s.adminToken(), "[1,2]").status());
    assertFalse(http.expect(200, "GET", policy(s), s.adminToken(), null).path("own").asBoolean(),
        "nothing refused was saved");

    JsonNode saved = http.expect(200, "PUT", policy(s), s.adminToken(), of("minLength", 12, "tokenMinutes", null));
    assertEquals(12, saved.path("minLength").asInt());
    assertTrue(saved.path("own").asBoolean());
    assertEquals(saved, http.expect(200, "PUT", policy(s), s.adminToken(), of("minLength", 12)), "repeated: the same");
    String audit = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=manage.put",
        s.adminToken(), null).toString();
    assertTrue(audit.contains("security-policy"), audit);

    JsonNode hq = http.expect(200, "PUT", "/api/security-policy", s.adminToken(), of("reuseLimit", 5));
    assertEquals(5, hq.path("reuseLimit").asInt());
    String hqAudit = http.expect(200, "GET", "/api/audit?action=security.policy", s.adminToken(), null).toString();
    assertTrue(hqAudit.contains("security.policy") && hqAudit.contains("reuseLimit"), hqAudit);
    http.expect(200, "PUT", "/api/security-policy", s.adminToken(), of("reuseLimit", 3));
  }
}
