package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A watcher's resume is checked page by page: once the conversation leaves the supervisor's scope,
 * no further page reaches them, and nothing written after that either.
 */
class WatcherResumeIT {
  /** 4,000 Hangul syllables: about 12 KB of JSON a message, so a long transcript outgrows the socket buffers. */
  private static final String LONG_TEXT = "가".repeat(4000);
  private static final int MESSAGES = 800;

  @RegisterExtension
  static final TestServer server = new TestServer()
      // The seeding sends hundreds of messages at once; the flood limit is not what is tested.
      .with("limits.wsMessagesPerSecond", "10000")
      .with("limits.wsBurst", "100000");

  @Test
  void aWatchersReplayStopsWhenTheConversationLeavesTheirScopeMidway() {
    TestServer.Setup s = server.setUp();
    String jung = SeoulAndBusan.seoulManagerBesideBusan(server, s, "jung");
    try (WsClient kim = server.agent(); WsClient customer = server.customer();
        RawWebSocket seoul = RawWebSocket.connect(server.port(), "/ws/agent", 4096)) {
      long id = server.assignedChat(s, kim, customer);
      // Forty at a time: the agent, who reads, is pushed each; a burst of 10 MB would be over its output budget.
      long last = 0;
      for (int i = 0; i < MESSAGES; i += 40) {
        for (int j = i; j < i + 40; j++) {
          customer.send(of("type", "send", "conversation", id, "cmid", "long-" + j, "text", LONG_TEXT));
        }
        for (int j = i; j < i + 40; j++) {
          last = customer.until("ack").path("seq").asLong();
        }
      }
      seoul.sendText(of("type", "hello", "token", jung)).until("welcome");
      seoul.sendText(of("type", "watch", "conversation", id)).until("watching");
      seoul.sendText(of("type", "resume", "rid", "r", "conversation", id, "afterSeq", 0));
      // The replay has begun (its first page is read); the rest of the transcript waits for the reader.
      List<Long> seen = new ArrayList<>(List.of(seoul.until("message").path("seq").asLong()));

      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toQueue", "busan/loan", "note", "대출 건"))
          .until("transferred");
      customer.send(of("type", "send", "conversation", id, "cmid", "after", "text", "부산에서 볼게요"));
      long after = customer.until("ack").path("seq").asLong();

      JsonNode end;
      while (true) {
        JsonNode f = seoul.read().json();
        String type = f.path("type").asText();
        if (type.equals("message")) {
          seen.add(f.path("seq").asLong());
        } else if (type.equals("resumed") || type.equals("error")) {
          end = f;
          break;
        }
      }
      System.out.printf("watcher resume across a transfer: %d of %d messages before %s%n", seen.size(), last,
          end.path("type").asText());
      assertEquals("error", end.path("type").asText(), "the replay went on after the scope changed: " + end);
      assertEquals("not_found", end.path("code").asText());
      assertEquals("r", end.path("rid").asText());
      assertTrue(seen.size() < MESSAGES, "every page was sent: " + seen.size());
      assertTrue(seen.stream().allMatch(seq -> seq < after), "a message written after the transfer was replayed");
    }
  }
}
