package io.sangdam.accesslog;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The month's report of unusual access, on a clock the test moves: a reader far above the median, a reader after the
 * center closed, and a bulk exporter are each flagged; ordinary reading is not.
 */
class AccessReportIT {
  /** Tuesday 10 November 2026, 10:00 in Seoul: the center is open. */
  private static final ManualTime time = new ManualTime(Instant.parse("2026-11-10T01:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(time).with("accessLog.bulkExportSubjects", "2");

  private static String user(TestServer.Setup s, String username, String role) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), role.equals("TENANT_ADMIN")
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center", "seoul"));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static long closedChat(TestServer.Setup s, WsClient agent) {
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      agent.until("assigned");
      agent.send(of("type", "close", "conversation", id)).until("closed");
      return id;
    }
  }

  @Test
  void aHeavyReaderANightReaderAndABulkExporterAreFlagged() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/hours", s.adminToken(), of("timezone",
        "Asia/Seoul", "weekly", of("MON", List.of(List.of("09:00", "18:00")), "TUE", List.of(List.of("09:00", "18:00")),
            "WED", List.of(List.of("09:00", "18:00")), "THU", List.of(List.of("09:00", "18:00")),
            "FRI", List.of(List.of("09:00", "18:00"))), "holidays", List.of(), "outOfHours", "ACCEPT"));
    String boss = user(s, "boss", "CENTER_MANAGER");
    String night = user(s, "night", "CENTER_MANAGER");
    String bulk = user(s, "bulk", "CENTER_MANAGER");
    String chief = user(s, "chief", "TENANT_ADMIN");
    long first;
    long second;
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      first = closedChat(s, agent);
      second = closedChat(s, agent);
    }
    for (int i = 0; i < 21; i++) {
      http.expect(200, "GET", "/api/conversations/" + (i % 2 == 0 ? first : second), boss, null);
    }
    http.expect(200, "GET", "/api/conversations/" + first, chief, null);
    http.expect(200, "GET", "/api/conversations/" + first, night, null);
    assertEquals(200, http.download("/api/tenants/" + s.tenant() + "/conversations?format=csv&reason=audit", bulk)
        .status());

    time.advance(Duration.ofHours(11));
    http.expect(200, "GET", "/api/conversations/" + second, night, null);

    JsonNode report = http.expect(200, "GET", "/api/access-log/report?tenant=" + s.tenant() + "&month=2026-11",
        s.adminToken(), null);
    Map<String, JsonNode> staff = new HashMap<>();
    report.path("staff").forEach(row -> staff.put(row.path("staff").asText(), row));
    assertEquals(25, report.path("records").asInt(), report.toString());
    assertEquals(1.5, report.path("median").asDouble(), "reads of 21, 2, 1 and 1");
    assertEquals(21, staff.get("boss").path("reads").asInt());
    assertTrue(staff.get("boss").path("farAboveMedian").asBoolean(), "21 reads against a median of 1.5");
    assertEquals(0, staff.get("boss").path("offHours").asInt(), "read while the center was open");
    assertFalse(staff.get("night").path("farAboveMedian").asBoolean());
    assertFalse(staff.get("chief").path("farAboveMedian").asBoolean());
    assertEquals(1, staff.get("night").path("offHours").asInt());

    assertEquals(1, report.path("offHours").size(), report.path("offHours").toString());
    JsonNode late = report.path("offHours").get(0);
    assertEquals("night", late.path("staff").asText());
    assertEquals("2026-11-10T12:00:00Z", late.path("at").asText(), "21:00 in Seoul, after 18:00");
    assertEquals("conversation " + second, late.path("object").asText());

    assertEquals(1, report.path("bulkExports").size());
    JsonNode export = report.path("bulkExports").get(0);
    assertEquals("bulk", export.path("staff").asText());
    assertEquals("export", export.path("action").asText());
    assertEquals(2, export.path("subjects").size(), "both customers");
    assertEquals("audit", export.path("reason").asText());

    JsonNode october = http.expect(200, "GET", "/api/access-log/report?tenant=" + s.tenant() + "&month=2026-10",
        s.adminToken(), null);
    assertEquals(0, october.path("records").asInt(), "another month's report holds none of these");
    assertEquals(200, http.send("GET", "/api/access-log/report?month=2026-11", chief, null).status(),
        "a tenant admin's own tenant");
  }
}
