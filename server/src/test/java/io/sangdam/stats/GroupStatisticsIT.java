package io.sangdam.stats;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HQ's view of the group: {@code /api/stats?scope=*} (every tenant's conversations as one report, a row per
 * tenant, the CSV complete) and {@code /api/stats/compare} (each center's figures side by side); who may ask,
 * and what bad parameters get.
 */
class GroupStatisticsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static TestServer.Setup a;
  private static TestServer.Setup b;
  private static String range;

  /** One handled chat in tenant A's Seoul, two in B's Seoul; A has a second center, Busan, with none. */
  @BeforeAll
  static void chats() {
    a = server.setUp();
    b = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + a.tenant() + "/centers", a.adminToken(),
        of("code", "busan", "name", "부산"));
    chat(a);
    chat(b);
    chat(b);
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Seoul"));
    range = "&from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
  }

  private static void chat(TestServer.Setup s) {
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "send", "conversation", id, "cmid", "a" + id, "text", "안녕하세요")).until("ack");
      agent.send(of("type", "close", "conversation", id)).until("closed");
    }
  }

  private static JsonNode row(JsonNode rows, String key, String value) {
    for (JsonNode r : rows) {
      if (r.path(key).asText().equals(value)) {
        return r;
      }
    }
    throw new AssertionError(value + " not in " + rows);
  }

  @Test
  void hqSeesTheWholeGroupAsOneReportWithARowPerTenant() {
    Http http = server.http();
    JsonNode group = http.expect(200, "GET", "/api/stats?scope=*&interval=hour" + range, a.adminToken(), null);
    assertEquals("*", group.path("scope").asText());
    assertEquals("Asia/Seoul", group.path("timezone").asText());
    assertEquals(72, group.path("intervals").size(), "three days of hours");
    long sum = 0;
    for (JsonNode t : group.path("tenants")) {
      sum += t.path("figures").path("offered").asLong();
    }
    assertEquals(sum, group.path("total").path("offered").asLong(), "the group is its tenants added up");
    assertEquals(1, row(group.path("tenants"), "code", a.tenant()).path("figures").path("offered").asLong());
    assertEquals(2, row(group.path("tenants"), "code", b.tenant()).path("figures").path("handled").asLong());
    long intervals = 0;
    for (JsonNode i : group.path("intervals")) {
      intervals += i.path("figures").path("offered").asLong();
    }
    assertEquals(sum, intervals, "every hour's conversations are in the total");

    Http.Download csv = http.download("/api/stats?scope=*&interval=hour&format=csv" + range, a.adminToken());
    assertEquals(200, csv.status());
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\uFEFF구간 시작"), "Excel's UTF-8");
    assertEquals(1 + 72 + 1 + group.path("tenants").size(), text.split("\r\n").length,
        "header, every hour, the total and a row per tenant: " + text);
    assertTrue(text.contains("\"계열사 Tenant " + a.tenant() + "\""), text);
    assertTrue(http.expect(200, "GET", "/api/audit?action=stats.export", a.adminToken(), null).toString()
        .contains("\"target\":\"*\""), "the export is audited");

    JsonNode kakao = http.expect(200, "GET", "/api/stats?scope=*&channelKind=KAKAO" + range, a.adminToken(), null);
    assertEquals(0, kakao.path("total").path("offered").asLong(), "every chat came by the widget");
  }

  @Test
  void centersAreComparedSideBySideWithinATenantOrTheGroup() {
    Http http = server.http();
    JsonNode group = http.expect(200, "GET", "/api/stats/compare?scope=*" + range, a.adminToken(), null);
    JsonNode aSeoul = null;
    JsonNode aBusan = null;
    for (JsonNode c : group.path("centers")) {
      if (c.path("tenant").asText().equals(a.tenant())) {
        if (c.path("code").asText().equals("seoul")) {
          aSeoul = c;
        } else {
          aBusan = c;
        }
      }
    }
    assertEquals(1, aSeoul.path("figures").path("offered").asLong());
    assertEquals(1.0, aSeoul.path("figures").path("serviceLevel").asDouble(), "answered at once");
    assertEquals(0.0, aSeoul.path("figures").path("abandonRate").asDouble());
    assertTrue(aSeoul.path("figures").has("avgHandleSeconds") && aSeoul.path("figures").has("csatAvg"));
    assertEquals("서울", aSeoul.path("name").asText());
    assertEquals(0, aBusan.path("figures").path("offered").asLong());
    assertTrue(aBusan.path("figures").path("serviceLevel").isNull(), "nothing offered: no made-up figure");
    assertEquals(2, row(group.path("tenants"), "code", b.tenant()).path("figures").path("offered").asLong());

    http.expect(201, "POST", "/api/tenants/" + a.tenant() + "/users", a.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    String chief = http.login(a.tenant(), "chief", TestServer.STAFF_PASSWORD);
    JsonNode own = http.expect(200, "GET", "/api/stats/compare?scope=" + a.tenant() + range, chief, null);
    assertEquals(2, own.path("centers").size(), "Seoul and Busan");
    assertEquals(1, own.path("tenants").size());
  }

  @Test
  void onlyHqSeesTheGroupAndBadParametersAreRefused() {
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + b.tenant() + "/users", b.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    http.expect(201, "POST", "/api/tenants/" + b.tenant() + "/users", b.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String chief = http.login(b.tenant(), "chief", TestServer.STAFF_PASSWORD);
    String boss = http.login(b.tenant(), "boss", TestServer.STAFF_PASSWORD);
    String hq = b.adminToken();
    Map<String, Integer> answers = Map.ofEntries(
        Map.entry("chief /api/stats?scope=*" + range, 403),
        Map.entry("boss /api/stats?scope=*" + range, 403),
        Map.entry("agent /api/stats?scope=*" + range, 403),
        Map.entry("hq /api/stats?scope=*&agent=kim" + range, 422),
        Map.entry("hq /api/stats?scope=*&channel=web" + range, 422),
        Map.entry("hq /api/stats?scope=*&channelKind=FAX" + range, 422),
        Map.entry("hq /api/stats?scope=*&timezone=Mars/Base" + range, 422),
        Map.entry("hq /api/stats?scope=*&interval=week" + range, 422),
        Map.entry("hq /api/stats?scope=*&format=xml" + range, 422),
        Map.entry("hq /api/stats?scope=*&from=2026-01-01", 422),
        Map.entry("hq /api/stats?scope=*&from=2026-02-01&to=2026-01-01", 422),
        Map.entry("hq /api/stats?scope=*&from=2024-01-01&to=2026-01-01", 422),
        Map.entry("hq /api/stats?scope=*&from=yesterday&to=2026-01-01", 422),
        Map.entry("chief /api/stats/compare?scope=*" + range, 403),
        Map.entry("boss /api/stats/compare?scope=" + b.tenant() + range, 403),
        Map.entry("agent /api/stats/compare?scope=" + b.tenant() + range, 403),
        Map.entry("chief /api/stats/compare?scope=" + a.tenant() + range, 404),
        Map.entry("hq /api/stats/compare?scope=nope" + range, 404),
        Map.entry("hq /api/stats/compare?scope=" + b.tenant() + "/seoul" + range, 422),
        Map.entry("hq /api/stats/compare?scope=%3Cscript%3E" + range, 422),
        Map.entry("hq /api/stats/compare" + range.replaceFirst("&", "?"), 422),
        Map.entry("hq /api/stats/compare?scope=*&to=2026-01-01", 422));
    answers.forEach((request, status) -> {
      String[] parts = request.split(" ", 2);
      String token = switch (parts[0]) {
        case "chief" -> chief;
        case "boss" -> boss;
        case "agent" -> b.agentToken();
        default -> hq;
      };
      Http.Response r = http.send("GET", parts[1], token, null);
      assertEquals(status, r.status(), request + ": " + r.body());
      assertTrue(!r.body().toString().contains(a.tenant()) || parts[0].equals("hq")
          || parts[1].contains(a.tenant()),
          "tenant B's callers are never told of tenant A: " + r.body());
    });
  }
}
