package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code history} is one frame of bounded size: a customer with long earlier transcripts is shown
 * their latest messages and told the rest was left out, instead of a frame of megabytes.
 */
class HistoryLimitIT {
  /** 4,000 Hangul syllables: about 12 KB of JSON a message. */
  private static final String LONG_TEXT = "가".repeat(4000);

  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("limits.wsMessagesPerSecond", "10000")
      .with("limits.wsBurst", "100000");

  @Test
  void aLongHistoryIsCutToItsLatestMessagesAndSaysSo() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long first = server.assignedChat(s, agent, customer);
      // 200 long messages, forty at a time so the agent, who reads them, is never over its output budget.
      for (int i = 0; i < 200; i += 40) {
        for (int j = i; j < i + 40; j++) {
          customer.send(of("type", "send", "conversation", first, "cmid", "long-" + j, "text", LONG_TEXT));
        }
        for (int j = i; j < i + 40; j++) {
          customer.until("ack");
        }
      }
      agent.send(of("type", "close", "conversation", first)).until("closed");
      customer.until("closed");
      long second = customer.send(of("type", "start", "queue", s.queue())).until("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");

      JsonNode history = agent.send(of("type", "history", "rid", "h", "conversation", second)).until("history");
      int bytes = history.toString().getBytes(StandardCharsets.UTF_8).length;
      JsonNode messages = history.path("earlier").get(0).path("messages");
      System.out.printf("history of 200 long messages: %d bytes, %d messages%n", bytes, messages.size());
      assertTrue(history.path("truncated").asBoolean(), "the answer says messages were left out");
      assertTrue(bytes < 192 * 1024, "the history frame is " + bytes + " bytes");
      assertTrue(messages.size() > 0 && messages.size() < 200);
      assertEquals(200, messages.get(messages.size() - 1).path("seq").asLong(), "the latest messages are kept");
      assertTrue(agent.isOpen());

      // A short history is whole.
      try (WsClient other = server.customer()) {
        other.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
        long id = other.send(of("type", "start", "queue", s.queue())).until("started").path("conversation")
            .path("id").asLong();
        agent.until("assigned");
        JsonNode none = agent.send(of("type", "history", "rid", "h2", "conversation", id)).until("history");
        assertFalse(none.path("truncated").asBoolean());
        assertEquals(0, none.path("earlier").size());
      }
    }
  }
}
