package io.sangdam.stats;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A small day worked through by hand. On 2026-11-02 from 10:00 KST, with the center's service
 * level target at 20 s and one agent (kim):
 *
 * <pre>
 *  C1  starts   0 s, assigned  30 s (wait 30), agent writes  40 s, closed 100 s (handle  70), rated 5
 *  C2  starts  10 s, assigned  30 s (wait 20), agent writes  50 s, closed 160 s (handle 130), rated 3
 *  C3  starts 170 s, assigned 170 s (wait  0), agent writes 175 s, closed 200 s (handle  30)
 *  C4  starts 210 s while kim is away, leaves at 250 s: abandoned
 * </pre>
 *
 * offered 4, handled 3, abandoned 1, abandon rate 0.25; waits 30, 20, 0: average 16.7 s, p90
 * (nearest rank 3 of 3) 30 s; answered within 20 s: C2 and C3, service level 2/4 = 0.5; handle
 * (70 + 130 + 30) / 3 = 76.7 s; first response (40 + 40 + 5) / 3 = 28.3 s; CSAT (5 + 3) / 2 = 4.0
 * from 2 responses. Kim alone: offered 3, none abandoned.
 */
class StatisticsIT {
  private static final Instant START = Instant.parse("2026-11-02T01:00:00Z");
  private static final ManualTime time = new ManualTime(START);

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(time);

  private static TestServer.Setup s;
  private static String manager;

  @BeforeAll
  static void workTheDay() {
    s = server.setUp();
    Http http = server.http();
    http.expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/settings", s.adminToken(),
        of("serviceLevelSeconds", 20));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    List<WsClient> customers = new ArrayList<>();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      long c1 = start(customers);
      time.advance(Duration.ofSeconds(10));
      long c2 = start(customers);
      time.advance(Duration.ofSeconds(20));
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      agent.next("assigned");
      agent.next("assigned");
      time.advance(Duration.ofSeconds(10));
      say(agent, c1);
      time.advance(Duration.ofSeconds(10));
      say(agent, c2);
      time.advance(Duration.ofSeconds(50));
      agent.send(of("type", "close", "conversation", c1)).next("closed");
      time.advance(Duration.ofSeconds(60));
      agent.send(of("type", "close", "conversation", c2)).next("closed");
      time.advance(Duration.ofSeconds(10));
      long c3 = start(customers);
      agent.next("assigned");
      time.advance(Duration.ofSeconds(5));
      say(agent, c3);
      time.advance(Duration.ofSeconds(25));
      agent.send(of("type", "close", "conversation", c3)).next("closed");
      agent.send(of("type", "status", "status", "AWAY")).next("status");
      time.advance(Duration.ofSeconds(10));
      long c4 = start(customers);
      time.advance(Duration.ofSeconds(40));
      customers.get(3).send(of("type", "leave", "conversation", c4)).next("closed");
      customers.get(0).send(of("type", "rate", "conversation", c1, "score", 5)).until("rated");
      customers.get(1).send(of("type", "rate", "conversation", c2, "score", 3, "comment", "보통")).until("rated");
    } finally {
      customers.forEach(WsClient::close);
    }
  }

  private static long start(List<WsClient> customers) {
    WsClient customer = server.customer();
    customers.add(customer);
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
    return customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
        .asLong();
  }

  private static void say(WsClient agent, long conversation) {
    agent.send(of("type", "send", "conversation", conversation, "cmid", "a" + conversation, "text", "안녕하세요"))
        .until("ack");
  }

  private static JsonNode stats(String token, String query) {
    return server.http().expect(200, "GET", "/api/stats?" + query, token, null);
  }

  @Test
  void theDayAddsUpToTheHandComputedFigures() {
    JsonNode report = stats(manager, "scope=" + s.tenant() + "/seoul&from=2026-11-02&to=2026-11-03&interval=day");
    assertEquals("Asia/Seoul", report.path("timezone").asText());
    assertEquals(2, report.path("intervals").size());
    assertEquals("2026-11-02T00:00+09:00", report.path("intervals").get(0).path("start").asText());
    JsonNode day = report.path("intervals").get(0).path("figures");
    assertEquals(of("offered", 4, "handled", 3, "abandoned", 1, "abandonRate", 0.25, "avgWaitSeconds", 16.7,
        "p90WaitSeconds", 30.0, "serviceLevel", 0.5, "avgHandleSeconds", 76.7, "avgFirstResponseSeconds", 28.3,
        "transfers", 0, "csatAvg", 4.0, "csatResponses", 2), day);
    assertEquals(day, report.path("total"));
    JsonNode quiet = report.path("intervals").get(1).path("figures");
    assertEquals(0, quiet.path("offered").asInt());
    assertTrue(quiet.path("avgWaitSeconds").isNull(), "no average of nothing");
  }

  @Test
  void hoursQueuesAndAgentsNarrowTheSameFigures() {
    JsonNode hours = stats(s.adminToken(), "scope=" + s.tenant() + "&from=2026-11-02&to=2026-11-02&interval=hour");
    assertEquals(24, hours.path("intervals").size());
    assertEquals(4, hours.path("intervals").get(10).path("figures").path("offered").asInt(), "10:00 KST");
    assertEquals(4, hours.path("total").path("offered").asInt());

    JsonNode queue = stats(s.adminToken(), "scope=" + s.tenant() + "/seoul/card&from=2026-11-02&to=2026-11-02");
    assertEquals(4, queue.path("total").path("offered").asInt());

    JsonNode kim = stats(manager, "scope=" + s.tenant() + "/seoul&agent=kim&from=2026-11-02&to=2026-11-02");
    assertEquals(of("offered", 3, "handled", 3, "abandoned", 0, "abandonRate", 0.0, "avgWaitSeconds", 16.7,
        "p90WaitSeconds", 30.0, "serviceLevel", 0.6667, "avgHandleSeconds", 76.7, "avgFirstResponseSeconds", 28.3,
        "transfers", 0, "csatAvg", 4.0, "csatResponses", 2), kim.path("total"));

    JsonNode utc = stats(s.adminToken(), "scope=" + s.tenant() + "&from=2026-11-01&to=2026-11-01&timezone=UTC");
    assertEquals(0, utc.path("total").path("offered").asInt(), "01:00 UTC on the 2nd is not the 1st in UTC");
  }

  @Test
  void theCsvOpensInExcelWithKoreanHeadersAndIsAudited() {
    Http.Download csv = server.http().download("/api/stats?scope=" + s.tenant() + "/seoul&from=2026-11-02"
        + "&to=2026-11-02&format=csv", manager);
    assertEquals(200, csv.status());
    assertEquals("text/csv; charset=utf-8", csv.header("Content-Type"));
    assertTrue(csv.header("Content-Disposition").startsWith("attachment;"));
    byte[] body = csv.body();
    assertEquals((byte) 0xEF, body[0], "a UTF-8 byte-order mark, so Excel reads Korean");
    String text = new String(body, StandardCharsets.UTF_8).substring(1);
    String[] lines = text.split("\r\n");
    assertTrue(lines[0].startsWith("구간 시작,인입,응대,포기,포기율"), lines[0]);
    assertEquals("2026-11-02 00:00,4,3,1,0.25,16.7,30.0,0.5,76.7,28.3,0,4.0,2", lines[1]);
    assertEquals("합계,4,3,1,0.25,16.7,30.0,0.5,76.7,28.3,0,4.0,2", lines[2]);
  }

  @Test
  void askingOutsideOnesScopeOrBadlyIsRefused() {
    Http http = server.http();
    TestServer.Setup other = server.setUp();
    String q = "&from=2026-11-02&to=2026-11-02";
    assertEquals(403, http.send("GET", "/api/stats?scope=" + s.tenant() + "/seoul" + q, s.agentToken(), null)
        .status(), "agents see no statistics");
    assertEquals(403, http.send("GET", "/api/stats?scope=" + s.tenant() + q, manager, null).status(),
        "a manager sees their center, not the tenant");
    assertEquals(404, http.send("GET", "/api/stats?scope=" + other.tenant() + "/seoul" + q, manager, null).status());
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "남의 관리자", "role", "TENANT_ADMIN"));
    assertEquals(404, http.send("GET", "/api/stats?scope=" + s.tenant() + q,
        http.login(other.tenant(), "chief", TestServer.STAFF_PASSWORD), null).status(), "another tenant's admin");
    assertEquals(404, http.send("GET", "/api/stats?scope=" + s.tenant() + "/seoul/nope" + q, manager, null).status());
    assertEquals(404, http.send("GET", "/api/stats?scope=" + s.tenant() + "/seoul&agent=nobody" + q, manager, null)
        .status());
    assertEquals("missing_field", http.send("GET", "/api/stats?scope=" + s.tenant(), s.adminToken(), null)
        .errorCode());
    assertEquals("field 'to' must be within 366 days of from", http.send("GET", "/api/stats?scope=" + s.tenant()
        + "&from=2025-01-01&to=2026-01-02", s.adminToken(), null).body().path("error").path("message").asText());
    assertEquals("field 'to' must not be before from", http.send("GET", "/api/stats?scope=" + s.tenant()
        + "&from=2026-11-02&to=2026-11-01", s.adminToken(), null).body().path("error").path("message").asText());
    assertEquals(422, http.send("GET", "/api/stats?scope=" + s.tenant() + q + "&interval=week", s.adminToken(), null)
        .status());
    assertEquals(422, http.send("GET", "/api/stats?scope=" + s.tenant() + "&from=yesterday&to=2026-11-02",
        s.adminToken(), null).status());
    assertEquals(422, http.send("GET", "/api/stats?scope=" + s.tenant() + q + "&timezone=Mars/Olympus",
        s.adminToken(), null).status());
    assertEquals(422, http.send("GET", "/api/stats?scope=a/b/c/d" + q, s.adminToken(), null).status());
  }
}
