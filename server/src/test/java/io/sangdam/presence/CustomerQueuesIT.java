package io.sangdam.presence;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A customer asks which inquiry types the center offers and whether it is open: the widget's first screen. */
class CustomerQueuesIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static JsonNode queues(TestServer.Setup s) {
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      return customer.send(of("type", "queues", "rid", "q1")).next("queues");
    }
  }

  @Test
  void anOpenCenterListsItsEnabledQueues() {
    TestServer.Setup s = server.setUp();
    String center = "/api/tenants/" + s.tenant() + "/centers/seoul";
    server.http().expect(201, "POST", center + "/queues", s.adminToken(), of("code", "loan", "name", "대출",
        "policy", "LEAST_BUSY"));
    server.http().expect(201, "POST", center + "/queues", s.adminToken(), of("code", "old", "name", "폐지",
        "policy", "LEAST_BUSY"));
    server.http().expect(200, "PUT", center + "/queues/old", s.adminToken(), of("enabled", false));
    JsonNode answer = queues(s);
    assertEquals("q1", answer.path("rid").asText());
    assertEquals("서울", answer.path("center").asText());
    assertTrue(answer.path("open").asBoolean());
    assertTrue(answer.path("opensAt").isMissingNode());
    assertEquals(of("code", "card", "name", "카드"), answer.path("queues").get(0));
    assertEquals(of("code", "loan", "name", "대출"), answer.path("queues").get(1));
    assertEquals(2, answer.path("queues").size(), "a disabled queue is not offered");
  }

  @Test
  void aClosedCenterSaysWhenItOpensAndWhatHappensMeanwhile() {
    TestServer.Setup s = server.setUp();
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/hours", s.adminToken(),
        of("timezone", "Asia/Seoul", "weekly", Map.of(), "holidays", List.of(), "outOfHours", "OFFLINE_FORM"));
    JsonNode answer = queues(s);
    assertEquals(false, answer.path("open").asBoolean());
    assertEquals("OFFLINE_FORM", answer.path("outOfHours").asText());
    assertTrue(answer.path("opensAt").isMissingNode(), "a center with no hours at all never opens");
    assertTrue(answer.path("timezone").isMissingNode(), "a zone only for a time to say");
  }

  @Test
  void whenItOpensIsSaidWithTheZoneOfItsHours() {
    TestServer.Setup s = server.setUp();
    LocalDate today = LocalDate.now(ZoneId.of("America/Los_Angeles"));
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/hours", s.adminToken(),
        of("timezone", "America/Los_Angeles", "weekly", Map.of("MON", List.of(List.of("09:00", "18:00")),
            "TUE", List.of(List.of("09:00", "18:00")), "WED", List.of(List.of("09:00", "18:00")),
            "THU", List.of(List.of("09:00", "18:00")), "FRI", List.of(List.of("09:00", "18:00"))),
            "holidays", List.of(today.toString()), "outOfHours", "OFFLINE_FORM"));
    JsonNode answer = queues(s);
    assertEquals(false, answer.path("open").asBoolean());
    assertTrue(answer.path("opensAt").isTextual(), answer.toString());
    assertEquals("America/Los_Angeles", answer.path("timezone").asText());
  }

  @Test
  void queuesNeedsAHelloFirst() {
    try (WsClient customer = server.customer()) {
      assertEquals("hello_required", customer.send(of("type", "queues")).next("error").path("code").asText());
    }
  }
}
