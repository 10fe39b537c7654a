package io.sangdam.privacy;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Personal numbers a customer writes reach staff masked, live and replayed; the customer keeps their own text. */
class MaskedViewsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String TEXT = "카드번호 4111-1111-1111-1111, 연락처 010-9876-5432입니다";
  private static final String MASKED = "카드번호 4111-****-****-1111, 연락처 010-****-5432입니다";

  @Test
  void staffSeeTheTextMaskedAndTheCustomerSeesItAsWritten() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer();
        WsClient otherTab = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome")
          .path("visitor").asText();
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      agent.next("assigned");
      customer.next("assigned");
      otherTab.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor)).next("welcome");
      customer.send(of("type", "send", "conversation", id, "cmid", "c1", "text", TEXT)).next("ack");

      assertEquals(MASKED, agent.next("message").path("text").asText(), "the agent, live");
      assertEquals(TEXT, otherTab.next("message").path("text").asText(), "the customer's other tab");

      agent.send(of("type", "resume", "conversation", id, "afterSeq", 0));
      assertEquals(MASKED, agent.next("message").path("text").asText(), "the agent, replayed");
      customer.send(of("type", "resume", "conversation", id, "afterSeq", 0));
      assertEquals(TEXT, customer.next("message").path("text").asText(), "the customer, replayed");
      customer.next("resumed");

      String name = "홍길동 010-1234-5678.txt";
      server.http().send("POST", "/api/conversations/" + id + "/attachments?name="
          + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), visitor, "text/plain",
          "메모".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      JsonNode file = agent.until("message");
      assertEquals("홍길동 010-****-5678.txt", file.path("attachment").path("name").asText(),
          "a file's name is masked for staff too");
      assertEquals(name, customer.until("message").path("attachment").path("name").asText());
    }
  }

  @Test
  void aRatingCommentReachesTheAgentMasked() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "send", "conversation", id, "cmid", "a1", "text", "도와드렸습니다")).next("ack");
      customer.next("message");
      agent.send(of("type", "close", "conversation", id)).next("closed");
      customer.next("closed");
      customer.send(of("type", "rate", "rid", "r", "conversation", id, "score", 5, "comment", TEXT)).next("rated");
      JsonNode rated = agent.next("rated");
      assertEquals(5, rated.path("score").asInt());
      assertEquals(MASKED, rated.path("comment").asText(), "the comment is the customer's text: masked for staff");
    }
  }
}
