package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A company page vouches for its customer; the agent sees the customer's profile (masked) and earlier chats. */
class CustomerIdentityIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String sign(String secret, String externalId) {
    return HexFormat.of().formatHex(Visitors.hmac(secret, externalId));
  }

  /** One chat of a customer who says hello with {@code extra}; returns the welcome and the conversation. */
  private static JsonNode[] chatOnce(TestServer.Setup s, WsClient agent, Object... extra) {
    try (WsClient customer = server.customer()) {
      com.fasterxml.jackson.databind.node.ObjectNode hello = of("type", "hello", "tenant", s.tenant(), "center",
          "seoul");
      for (int i = 0; i < extra.length; i += 2) {
        hello.set((String) extra[i], io.sangdam.testing.Json.MAPPER.valueToTree(extra[i + 1]));
      }
      JsonNode welcome = customer.send(hello).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      customer.next("assigned");
      JsonNode assigned = agent.next("assigned");
      customer.send(of("type", "send", "conversation", id, "cmid", "c" + id, "text", "문의 " + id)).next("ack");
      agent.next("message");
      return new JsonNode[] {welcome, assigned.path("conversation")};
    }
  }

  @Test
  void aSignedIdentityFollowsTheCustomerAndTheAgentSeesTheirHistoryWithTheContactMasked() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String secret = server.http().expect(200, "POST", "/api/tenants/" + s.tenant() + "/identity-secret",
        s.adminToken(), null).path("secret").asText();
    assertEquals(403, server.http().send("POST", "/api/tenants/" + s.tenant() + "/identity-secret", s.agentToken(),
        null).status());
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    assertEquals(404, server.http().send("POST", "/api/tenants/" + other.tenant() + "/identity-secret",
        server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD), null).status(), "another tenant's secret");
    // Each chat's customer leaves before the agent's next request: their presence pushes are not what this is about.
    try (WsClient agent = server.agent().ignoring("presence")) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      JsonNode[] first = chatOnce(s, agent, "externalId", "member-77", "signature", sign(secret, "member-77"),
          "name", "홍길동", "contact", "010-1234-5678");
      assertEquals("verified", first[0].path("identity").asText());
      agent.send(of("type", "close", "conversation", first[1].path("id").asLong())).next("closed");

      JsonNode[] second = chatOnce(s, agent, "externalId", "member-77", "signature", sign(secret, "member-77"));
      assertEquals(first[1].path("customer").path("id").asLong(), second[1].path("customer").path("id").asLong(),
          "a new device, the same customer");
      JsonNode history = agent.send(of("type", "history", "rid", "h", "conversation", second[1].path("id").asLong()))
          .next("history");
      assertEquals("h", history.path("rid").asText());
      assertEquals("010-****-5678", history.path("customer").path("contact").asText());
      assertEquals("member-77", history.path("customer").path("externalId").asText());
      assertEquals(1, history.path("earlier").size());
      assertEquals("문의 " + first[1].path("id").asLong(),
          history.path("earlier").get(0).path("messages").get(0).path("text").asText());

      JsonNode[] forged = chatOnce(s, agent, "externalId", "member-77", "signature", sign("guessed", "member-77"));
      assertEquals("refused", forged[0].path("identity").asText());
      assertTrue(forged[1].path("customer").path("id").asLong() != first[1].path("customer").path("id").asLong(),
          "a forged signature leaves an anonymous visitor");
      JsonNode none = agent.send(of("type", "history", "conversation", forged[1].path("id").asLong()))
          .next("history");
      assertEquals(0, none.path("earlier").size());
      assertTrue(none.path("customer").path("externalId").isNull());
      agent.send(of("type", "history", "conversation", 987_654));
      assertEquals("not_found", agent.next("error").path("code").asText());
    }
  }
}
