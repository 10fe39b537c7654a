package io.sangdam.auth;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in throttling over the real server, as behind the reverse proxy the README recommends: the
 * test connects from 127.0.0.1, a trusted proxy, and says which address it speaks for in
 * {@code X-Forwarded-For}. Each test uses addresses of its own.
 */
class SignInThrottlingIT {
  /** Passwords take their production cost: concurrent logins must overlap while they are checked. */
  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("auth.passwordIterations", String.valueOf(PasswordHasher.ITERATIONS))
      .with("http.trustedProxies", "127.0.0.1")
      .with("auth.throttle.addressFailures", "6")
      .with("auth.throttle.accountAddressFailures", "3")
      .with("auth.throttle.accountFailures", "4")
      .with("auth.throttle.maxDelaySeconds", "1");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Answer(int status, String code, String retryAfter, JsonNode body) {}

  private Answer login(String from, String tenant, String username, String password) {
    try {
      return answer(client.send(loginRequest(from, tenant, username, password), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code count} logins sent at once from {@code from}, alternating between the two accounts; their answers. */
  private List<Answer> concurrentLogins(int count, String from, String[] first, String[] second) {
    List<CompletableFuture<Answer>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String[] who = i % 2 == 0 ? first : second;
      sent.add(client.sendAsync(loginRequest(from, who[0], who[1], who[2]), HttpResponse.BodyHandlers.ofString())
          .thenApply(SignInThrottlingIT::answer));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  private HttpRequest loginRequest(String from, String tenant, String username, String password) {
    JsonNode body = tenant == null ? of("username", username, "password", password)
        : of("tenant", tenant, "username", username, "password", password);
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/login"))
        .timeout(Duration.ofSeconds(60)).header("X-Forwarded-For", from)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private static Answer answer(HttpResponse<String> r) {
    JsonNode json = Json.parse(r.body());
    return new Answer(r.statusCode(), json.path("error").path("code").asText(),
        r.headers().firstValue("Retry-After").orElse(null), json);
  }

  private List<JsonNode> audit(String admin, String action, String address) {
    List<JsonNode> found = new ArrayList<>();
    server.http().expect(200, "GET", "/api/audit?limit=200&action=" + action, admin, null).path("entries")
        .forEach(e -> {
          if (e.path("address").asText().equals(address)) {
            found.add(e);
          }
        });
    return found;
  }

  @Test
  void thirtyWrongPasswordsThenTheRightOneAreRefusedFromThatAddressButNotFromAnother() {
    String admin = server.adminToken();
    String attacker = "198.51.100.1";
    for (int i = 1; i <= 30; i++) {
      Answer a = login(attacker, null, "admin", "wrong-" + i);
      if (i <= 3) {
        assertEquals(401, a.status(), "attempt " + i);
      } else {
        assertEquals(429, a.status(), "attempt " + i);
        assertEquals("too_many_attempts", a.code());
        assertTrue(Integer.parseInt(a.retryAfter()) > 0 && Integer.parseInt(a.retryAfter()) <= 900, a.retryAfter());
      }
    }
    Answer right = login(attacker, null, "admin", TestServer.ADMIN_PASSWORD);
    assertEquals(429, right.status(), "the right password too, while the limit lasts");
    assertEquals("too_many_attempts", right.code());
    assertTrue(right.retryAfter() != null);

    assertEquals(200, login("198.51.100.2", null, "admin", TestServer.ADMIN_PASSWORD).status(),
        "the owner, elsewhere, is not locked out");
    assertEquals(1, audit(admin, "auth.login.throttled", attacker).size(), "the limit reached, once");
    assertEquals(3, audit(admin, "auth.login.failed", attacker).size());
    List<JsonNode> refused = audit(admin, "auth.login.refused", attacker);
    assertEquals(2, refused.size(), "28 refusals: the 1st and the 10th are audited, not every one");
    assertTrue(refused.get(0).path("detail").asText().contains("refusal 10"), refused.get(0).toString());
  }

  @Test
  void anAddressFailingForManyAccountsIsRefusedForAnyAccount() {
    TestServer.Setup s = server.setUp();
    String attacker = "198.51.100.3";
    for (int i = 1; i <= 6; i++) {
      assertEquals(401, login(attacker, s.tenant(), "nobody-" + i, "wrong-pass").status());
    }
    Answer next = login(attacker, s.tenant(), s.agentUsername(), "agent-pass-1");
    assertEquals(429, next.status());
    assertEquals("too_many_attempts", next.code());
    assertEquals(200, login("198.51.100.4", s.tenant(), s.agentUsername(), "agent-pass-1").status());
  }

  /**
   * An office behind one address signing in at the start of a shift: right passwords being checked
   * are not failures, so none is refused for the window; past what the limits leave at once, busy.
   */
  @Test
  void manyConcurrentRightLoginsFromOneAddressAreNeverRefusedOnlyBusy() {
    TestServer.Setup s = server.setUp();
    String office = "198.51.100.20";
    List<Answer> answers = concurrentLogins(16, office, new String[] {null, "admin", TestServer.ADMIN_PASSWORD},
        new String[] {s.tenant(), s.agentUsername(), "agent-pass-1"});
    for (Answer a : answers) {
      if (a.status() != 200) {
        assertEquals(503, a.status(), a.body().toString());
        assertEquals("unavailable", a.code());
        assertEquals("1", a.retryAfter());
      }
    }
    assertTrue(answers.stream().anyMatch(a -> a.status() == 200), answers.toString());
    assertEquals(200, login(office, null, "admin", TestServer.ADMIN_PASSWORD).status());
    assertEquals(200, login(office, s.tenant(), s.agentUsername(), "agent-pass-1").status());
  }

  /** A burst of concurrent guesses gets no more checked than the limit: the rest are busy, then refused. */
  @Test
  void aBurstOfConcurrentWrongGuessesGetsNoMoreThanTheLimitChecked() {
    String attacker = "198.51.100.21";
    String[] guess = {null, "admin", "wrong-guess"};
    List<Answer> answers = concurrentLogins(16, attacker, guess, guess);
    assertEquals(3, answers.stream().filter(a -> a.status() == 401).count(), answers.toString());
    assertTrue(answers.stream().allMatch(a -> a.status() == 401 || a.status() == 503 || a.status() == 429),
        answers.toString());
    assertEquals(429, login(attacker, null, "admin", TestServer.ADMIN_PASSWORD).status(),
        "the three checked failed: the address is refused for this account now");
  }

  @Test
  void failuresForOneAccountFromManyAddressesOnlySlowItDown() {
    String admin = server.adminToken();
    for (int i = 10; i < 22; i++) {
      Answer a = login("203.0.113." + i, null, "admin", "guess-" + i);
      assertEquals(401, a.status(), "from 203.0.113." + i + ": never refused, at most slowed down");
    }
    assertEquals(200, login("203.0.113.200", null, "admin", TestServer.ADMIN_PASSWORD).status());
    assertTrue(server.http().expect(200, "GET", "/api/audit?limit=200&action=auth.login.throttled", admin, null)
        .path("entries").toString().contains("its sign-in slowed down"));
  }

  @Test
  void logoutClosesTheConsoleSocketsOpenedWithThatTokenAndTheTokenIsRefusedEverywhere() {
    TestServer.Setup s = server.setUp();
    String other = server.http().login(s.tenant(), s.agentUsername(), "agent-pass-1");
    try (WsClient loggedOut = server.agent(); WsClient stays = server.agent(); WsClient late = server.agent()) {
      loggedOut.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      stays.send(of("type", "hello", "token", other)).next("welcome");
      server.http().expect(204, "POST", "/api/logout", s.agentToken(), null);
      assertEquals(1008, loggedOut.awaitClose());
      stays.send(of("type", "status", "status", "AWAY", "reason", "break"));
      assertEquals("AWAY", stays.next("status").path("status").asText(), "the other sign-in's console works on");
      assertEquals(401, server.http().send("GET", "/api/tenants/" + s.tenant() + "/users", s.agentToken(), null)
          .status());
      late.send(of("type", "hello", "token", s.agentToken()));
      assertEquals("unauthorized", late.next("error").path("code").asText());
    }
  }
}
