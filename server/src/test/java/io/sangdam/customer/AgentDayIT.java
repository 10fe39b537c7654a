package io.sangdam.customer;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the agent console reads and edits beside the chat: the customer of a conversation (name, contact, memo;
 * full to the agent carrying it, masked to managers; bad values refused with the field named, nothing changed;
 * another agent or tenant is told it does not exist), the caller's own center and queues by name, and the
 * agent's own figures of today (only their own chats count).
 */
class AgentDayIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String customerOf(long conversation) {
    return "/api/conversations/" + conversation + "/customer";
  }

  private static String user(TestServer.Setup s, String username, String role, String center) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center",
            center, "queues", List.of("card")));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  @Test
  void theAgentCarryingAChatEditsItsCustomerAndOthersSeeItMasked() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String manager = user(s, "boss", "CENTER_MANAGER", "seoul");
    String other = user(s, "lee", "AGENT", "seoul");
    TestServer.Setup elsewhere = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      JsonNode before = http.expect(200, "GET", customerOf(id), s.agentToken(), null);
      assertEquals("고객", before.path("name").asText(), "an anonymous widget customer");
      assertTrue(before.path("memo").isNull());

      JsonNode saved = http.expect(200, "PUT", customerOf(id), s.agentToken(), of("name", " 홍길동 ",
          "contact", "010-1234-5678", "memo", "VIP 고객, 카드 4111-1111-1111-1111 분실 건\n<script>alert(1)</script>"));
      assertEquals("홍길동", saved.path("name").asText(), "stripped");
      assertEquals("010-****-5678", saved.path("contact").asText(), "the contact is masked even to its agent");
      assertTrue(saved.path("memo").asText().contains("4111-1111-1111-1111"), "the memo in full to its agent");
      assertTrue(saved.path("memo").asText().contains("<script>"), "kept as text; the console shows it as text");
      assertFalse(saved.path("masked").asBoolean());

      JsonNode toManager = http.expect(200, "GET", customerOf(id), manager, null);
      assertEquals("홍*동", toManager.path("name").asText());
      assertEquals("010-****-5678", toManager.path("contact").asText());
      assertFalse(toManager.path("memo").asText().contains("4111-1111-1111-1111"), "personal numbers masked");
      assertTrue(toManager.path("masked").asBoolean());

      // Another agent of the center, another tenant's agent and admin: as if it did not exist.
      assertEquals(404, http.send("GET", customerOf(id), other, null).status());
      assertEquals(404, http.send("PUT", customerOf(id), other, of("name", "남의 고객")).status());
      assertEquals(404, http.send("GET", customerOf(id), elsewhere.agentToken(), null).status());
      assertEquals(404, http.send("PUT", customerOf(id), user(elsewhere, "chief", "TENANT_ADMIN", null),
          of("name", "남의 고객")).status());
      assertEquals(401, http.send("GET", customerOf(id), null, null).status());
      assertEquals(404, http.send("GET", customerOf(999_999_999L), s.agentToken(), null).status());
      assertEquals(404, http.send("GET", "/api/conversations/abc/customer", s.agentToken(), null).status());

      // Bad values: the field is named, and nothing of the request is kept (the valid name beside it neither).
      Map<String, Object[]> bad = Map.of(
          "name too long", new Object[] {of("name", "가".repeat(51)), "name"},
          "blank name", new Object[] {of("name", "   "), "name"},
          "name over two lines", new Object[] {of("name", "홍\n길동"), "name"},
          "name written backwards", new Object[] {of("name", "\u202E동길홍"), "name"},
          "contact not a phone or e-mail", new Object[] {of("name", "김철수", "contact", "<img src=x>"), "contact"},
          "contact too long", new Object[] {of("contact", "1".repeat(101)), "contact"},
          "memo too long", new Object[] {of("memo", "메".repeat(1001)), "memo"},
          "memo with a control character", new Object[] {of("memo", "a\u0007b"), "memo"},
          "a field customers do not have", new Object[] {of("grade", "VIP"), "grade"},
          "name not a string", new Object[] {of("name", 42), "name"});
      for (Map.Entry<String, Object[]> b : bad.entrySet()) {
        Http.Response r = http.send("PUT", customerOf(id), s.agentToken(), b.getValue()[0]);
        assertEquals(422, r.status(), b.getKey() + ": " + r.body());
        assertTrue(r.body().path("error").path("message").asText().startsWith("field '" + b.getValue()[1] + "'"),
            b.getKey() + ": " + r.body());
      }
      Http.Response longKey = http.send("PUT", customerOf(id), s.agentToken(), of("x".repeat(5000), "v"));
      assertEquals(422, longKey.status());
      assertTrue(longKey.body().path("error").path("message").asText().length() < 200, "a key is not echoed whole");
      assertEquals(422, http.send("PUT", customerOf(id), s.agentToken(), of()).status(), "nothing to change");
      assertEquals(400, http.sendRaw("PUT", customerOf(id), s.agentToken(), "{\"name\":".getBytes()).status());
      JsonNode after = http.expect(200, "GET", customerOf(id), s.agentToken(), null);
      assertEquals("홍길동", after.path("name").asText(), "no bad request changed anything");
      assertEquals("010-****-5678", after.path("contact").asText());

      // The same edit twice is the same customer; an empty contact or memo clears it.
      http.expect(200, "PUT", customerOf(id), s.agentToken(), of("contact", "hong@example.com"));
      http.expect(200, "PUT", customerOf(id), s.agentToken(), of("contact", "hong@example.com"));
      assertEquals("h***@example.com", http.expect(200, "GET", customerOf(id), s.agentToken(), null)
          .path("contact").asText());
      JsonNode cleared = http.expect(200, "PUT", customerOf(id), s.agentToken(), of("contact", "", "memo", ""));
      assertTrue(cleared.path("contact").isNull() && cleared.path("memo").isNull(), cleared.toString());

      // Each edit is in the audit log, without the values.
      JsonNode audit = http.expect(200, "GET", "/api/audit?action=customer.update", s.adminToken(), null);
      assertTrue(audit.toString().contains("customer.update"), audit.toString());
      assertFalse(audit.toString().contains("010-1234-5678"), "values are not audited");
    }
  }

  @Test
  void theAgentSeesTheirOwnDayAndWhereTheyWorkByName() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String other = user(s, "lee", "AGENT", "seoul");
    JsonNode empty = http.expect(200, "GET", "/api/me/today", s.agentToken(), null);
    assertEquals(0, empty.path("handled").asInt());
    assertTrue(empty.path("avgHandleSeconds").isNull() && empty.path("csatAvg").isNull(), empty.toString());
    assertEquals("Asia/Seoul", empty.path("timezone").asText());

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", id)).until("closed");
      customer.until("closed");
      customer.send(of("type", "rate", "conversation", id, "score", 4)).until("rated");
    }
    JsonNode today = http.expect(200, "GET", "/api/me/today", s.agentToken(), null);
    assertEquals(1, today.path("handled").asInt(), today.toString());
    assertTrue(today.path("avgHandleSeconds").asDouble() >= 0, today.toString());
    assertEquals(4.0, today.path("csatAvg").asDouble(), 0.001);
    assertEquals(1, today.path("csatResponses").asInt());
    assertEquals(0, http.expect(200, "GET", "/api/me/today", other, null).path("handled").asInt(),
        "another agent's chat is not theirs");
    assertEquals(0, http.expect(200, "GET", "/api/me/today", server.setUp().agentToken(), null).path("handled")
        .asInt(), "nor another tenant's agent's");
    assertEquals(401, http.send("GET", "/api/me/today", null, null).status());
    assertEquals(401, http.send("GET", "/api/me/today", "not-a-token", null).status());

    JsonNode me = http.expect(200, "GET", "/api/me", s.agentToken(), null);
    assertEquals("서울", me.path("center").path("name").asText());
    assertEquals("카드", me.path("queues").get(0).path("name").asText());
    assertEquals("kim", me.path("user").path("username").asText());
    JsonNode hq = http.expect(200, "GET", "/api/me", s.adminToken(), null);
    assertTrue(hq.path("center").isNull() && hq.path("queues").isEmpty(), "HQ works in no center: " + hq);
  }
}
