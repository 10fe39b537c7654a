package io.sangdam.stats;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each agent's time in each status and away reason, worked through by hand with the server's clock
 * under the test's control. On 2026-11-02 (KST), kim signs in at 10:00 and:
 *
 * <pre>
 *   0 s ONLINE     60 s AWAY meal     90 s AWAY break     110 s AWAY (no reason)
 * 120 s ONLINE    160 s OFFLINE      (the report is asked at 200 s)
 * </pre>
 *
 * ONLINE 60 + 40 = 100 s; AWAY 30 (meal) + 20 (break) + 10 (none) = 60 s; OFFLINE the ten hours
 * from midnight KST to 10:00 (36,000 s) and the 40 s since 160 s: 36,040 s. Lee, of the same center,
 * never came: OFFLINE throughout (36,200 s).
 */
class AgentStatusTimesIT {
  private static final Instant START = Instant.parse("2026-11-02T01:00:00Z");
  private static final ManualTime time = new ManualTime(START);

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(time);

  private static TestServer.Setup s;
  private static String manager;

  @BeforeAll
  static void workTheMorning() {
    s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lee",
        "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul"));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      status(agent, "ONLINE", null);
      time.advance(Duration.ofSeconds(60));
      status(agent, "AWAY", "meal");
      time.advance(Duration.ofSeconds(25));
      JsonNode kim = kimOnTheBoard();
      assertEquals("meal", kim.path("reason").asText());
      assertEquals(25, kim.path("statusSeconds").asLong(), "the live board counts the time in the current status");
      time.advance(Duration.ofSeconds(5));
      status(agent, "AWAY", "break");
      time.advance(Duration.ofSeconds(20));
      status(agent, "AWAY", null);
      time.advance(Duration.ofSeconds(10));
      status(agent, "ONLINE", null);
      time.advance(Duration.ofSeconds(40));
      status(agent, "OFFLINE", null);
      time.advance(Duration.ofSeconds(40));
    }
  }

  /**
   * Sets kim's status, then waits until the center's routing has it (the live board shows it): routing
   * takes the time of a change when it hears of it, so the clock moves on only after that.
   */
  private static void status(WsClient agent, String status, String reason) {
    agent.send(reason == null ? of("type", "status", "status", status)
        : of("type", "status", "status", status, "reason", reason)).next("status");
    eventually("kim " + status + " " + reason + " on the live board", AgentStatusTimesIT::kimOnTheBoard,
        a -> a.path("status").asText().equals(status) && a.path("reason").asText(null) == null == (reason == null)
            && (reason == null || reason.equals(a.path("reason").asText())));
  }

  private static JsonNode kimOnTheBoard() {
    for (JsonNode a : server.http().expect(200, "GET", "/api/dashboard", manager, null).path("tenants").get(0)
        .path("centers").get(0).path("agentDetails")) {
      if (a.path("username").asText().equals("kim")) {
        return a;
      }
    }
    throw new AssertionError("kim is not on the board");
  }

  private static JsonNode report(String token, String query) {
    return server.http().expect(200, "GET", "/api/stats/agent-status?" + query, token, null);
  }

  /** The report once the status writer has written kim's last change (it writes in the background). */
  private static JsonNode settled(String query) {
    return eventually("kim's OFFLINE written", () -> report(manager, query),
        r -> r.path("agents").get(0).path("onlineSeconds").asLong() == 100);
  }

  @Test
  void theMorningAddsUpToTheHandComputedTimes() {
    JsonNode report = settled("scope=" + s.tenant() + "/seoul&from=2026-11-02&to=2026-11-02");
    assertEquals("Asia/Seoul", report.path("timezone").asText());
    assertEquals(5, report.path("reasons").size());
    JsonNode kim = report.path("agents").get(0);
    assertEquals(of("username", "kim", "name", "김상담", "center", "seoul", "onlineSeconds", 100, "awaySeconds", 60,
        "awayByReason", of("break", 20, "meal", 30, "training", 0, "meeting", 0, "after_call", 0),
        "awayWithoutReasonSeconds", 10, "offlineSeconds", 36_040), kim);
    JsonNode lee = report.path("agents").get(1);
    assertEquals("lee", lee.path("username").asText());
    assertEquals(36_200, lee.path("offlineSeconds").asLong());
    assertEquals(0, lee.path("onlineSeconds").asLong());
    assertEquals(report.path("agents"), report(s.adminToken(), "scope=" + s.tenant() + "&from=2026-11-02&to=2026-11-02")
        .path("agents"), "the tenant's scope holds the same agents");
  }

  @Test
  void aDayBeforeCountsNothingAndADayAfterIsNotCountedYet() {
    settled("scope=" + s.tenant() + "/seoul&from=2026-11-02&to=2026-11-02");
    JsonNode before = report(manager, "scope=" + s.tenant() + "/seoul&from=2026-11-01&to=2026-11-01")
        .path("agents").get(0);
    assertEquals(86_400, before.path("offlineSeconds").asLong());
    assertEquals(0, before.path("onlineSeconds").asLong());
    JsonNode later = report(manager, "scope=" + s.tenant() + "/seoul&from=2026-11-03&to=2026-11-04")
        .path("agents").get(0);
    assertEquals(0, later.path("offlineSeconds").asLong(), "the future is no one's time yet");
  }

  @Test
  void theCsvHasOneRowPerAgentWithAColumnPerReason() {
    settled("scope=" + s.tenant() + "/seoul&from=2026-11-02&to=2026-11-02");
    Http.Download csv = server.http().download("/api/stats/agent-status?scope=" + s.tenant()
        + "/seoul&from=2026-11-02&to=2026-11-02&format=csv", manager);
    assertEquals(200, csv.status());
    assertTrue(csv.header("Content-Type").startsWith("text/csv"));
    String[] lines = new String(csv.body(), StandardCharsets.UTF_8).split("\r\n");
    assertEquals("\uFEFF상담원,이름,센터,온라인(초),이석(초),\"이석: 휴식(초)\",\"이석: 식사(초)\",\"이석: 교육(초)\","
        + "\"이석: 회의(초)\",\"이석: 후처리(초)\",이석: 사유 없음(초),오프라인(초)", lines[0]);
    assertEquals("\"kim\",\"김상담\",seoul,100,60,20,30,0,0,0,10,36040", lines[1]);
    assertEquals("\"lee\",\"이상담\",seoul,0,0,0,0,0,0,0,0,36200", lines[2]);
    assertEquals(3, lines.length);
  }

  @Test
  void accessAndBadInputAreAsForTheOtherStatistics() {
    Http http = server.http();
    String path = "/api/stats/agent-status?scope=" + s.tenant();
    assertEquals(403, http.send("GET", path + "/seoul&from=2026-11-02&to=2026-11-02", s.agentToken(), null).status());
    assertEquals(403, http.send("GET", path + "&from=2026-11-02&to=2026-11-02", manager, null).status(),
        "a center manager sees their own center only");
    TestServer.Setup other = server.setUp();
    assertEquals(404, http.send("GET", "/api/stats/agent-status?scope=" + other.tenant()
        + "/seoul&from=2026-11-02&to=2026-11-02", manager, null).status());
    assertEquals(404, http.send("GET", path + "/busan&from=2026-11-02&to=2026-11-02", s.adminToken(), null).status());
    for (String bad : new String[] {"/seoul/card&from=2026-11-02&to=2026-11-02", "/seoul&from=2026-11-02",
        "/seoul&from=2026-11-3&to=2026-11-04", "/seoul&from=2026-11-04&to=2026-11-02",
        "/seoul&from=2025-01-01&to=2026-11-02", "/seoul&from=2026-11-02&to=2026-11-02&format=xls",
        "/a/b/c/d&from=2026-11-02&to=2026-11-02"}) {
      Http.Response r = http.send("GET", path + bad, manager, null);
      assertTrue(r.status() == 422 || r.status() == 400, () -> bad + " answered " + r.status());
      assertTrue(r.errorCode().equals("invalid_field") || r.errorCode().equals("missing_field"), bad);
    }
  }
}
