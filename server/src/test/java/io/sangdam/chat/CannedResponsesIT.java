package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Canned responses: levels and scope, lookup by shortcut and words, variables filled when sent. */
class CannedResponsesIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void agentsFindAndSendCannedResponsesFilledForTheConversation() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String canned = "/api/tenants/" + s.tenant() + "/canned";
    long shared = server.http().expect(201, "POST", canned, s.adminToken(), of("title", "환불 안내", "shortcut",
        "/refund", "body", "{customer.name}님, 환불은 3일 안에 처리됩니다. - {center.name} {agent.name}"))
        .path("id").asLong();
    server.http().expect(201, "POST", canned, s.adminToken(), of("title", "인사", "shortcut", "hello",
        "center", "seoul", "body", "안녕하세요, {center.name}입니다."));
    server.http().expect(201, "POST", canned, s.agentToken(), of("title", "내 환불", "shortcut", "/refund",
        "personal", true, "body", "제가 직접 처리해 드릴게요, {customer.name}님."));
    assertEquals(409, server.http().send("POST", canned, s.adminToken(), of("title", "again", "shortcut", "refund",
        "body", "x")).status());
    assertEquals("invalid_field", server.http().send("POST", canned, s.adminToken(), of("title", "bad",
        "shortcut", "/환불", "body", "x")).errorCode());
    assertEquals(403, server.http().send("POST", canned, s.agentToken(), of("title", "shared", "shortcut", "x",
        "body", "x")).status());
    assertEquals(403, server.http().send("PUT", canned + "/" + shared, s.agentToken(), of("enabled", false))
        .status());
    long foreign = server.http().expect(201, "POST", "/api/tenants/" + other.tenant() + "/canned",
        other.adminToken(), of("title", "t", "shortcut", "t", "body", "남의 것")).path("id").asLong();
    assertEquals(3, server.http().expect(200, "GET", canned, s.agentToken(), null).size());

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      customer.next("assigned");
      agent.next("assigned");

      JsonNode byShortcut = agent.send(of("type", "canned", "rid", 1, "q", "/re")).next("canned");
      assertEquals(List.of("personal", "tenant"), List.of(byShortcut.path("responses").get(0).path("level").asText(),
          byShortcut.path("responses").get(1).path("level").asText()), "the agent's own first");
      assertEquals(1, agent.send(of("type", "canned", "q", "3일 환불")).next("canned").path("responses").size());

      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "shortcut", "/refund")).next("ack");
      assertEquals("제가 직접 처리해 드릴게요, 홍길동님.", customer.next("message").path("text").asText());
      agent.send(of("type", "send", "conversation", id, "cmid", "a-2", "canned", shared)).next("ack");
      assertEquals("홍길동님, 환불은 3일 안에 처리됩니다. - 서울 김상담", customer.next("message").path("text").asText());

      agent.send(of("type", "send", "conversation", id, "cmid", "a-3", "shortcut", "/nothing"));
      assertEquals("not_found", agent.next("error").path("code").asText());
      agent.send(of("type", "send", "conversation", id, "cmid", "a-4", "canned", foreign));
      assertEquals("not_found", agent.next("error").path("code").asText());
      server.http().expect(200, "PUT", canned + "/" + shared, s.adminToken(), of("enabled", false));
      agent.send(of("type", "send", "conversation", id, "cmid", "a-5", "canned", shared));
      assertEquals("not_found", agent.next("error").path("code").asText(), "disabled");
      agent.send(of("type", "send", "conversation", id, "cmid", "a-6", "text", "직접 씁니다"));
      assertEquals(3, agent.next("ack").path("seq").asLong(), "nothing was stored by the refused sends");
    }
  }
}
