package io.sangdam.transport;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.Memory;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that stop reading: the server's memory stays bounded (the server runs in this JVM, so
 * its heap and direct memory are measured after GC), a socket that falls too far behind is closed
 * with 4008, and everyone else goes on as before.
 */
class SlowClientIT {
  /** 4,000 Hangul syllables: about 12 KB of JSON per message, the longest text a message may have. */
  private static final String LONG_TEXT = "가".repeat(4000);
  private static final long MIB = 1024 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer()
      // The flood limit is not what is tested here: the seeding sends hundreds of messages at once.
      .with("limits.wsMessagesPerSecond", "10000")
      .with("limits.wsBurst", "100000")
      .with("limits.wsOutboundBytes", String.valueOf(MIB));

  /** Sends {@code count} long messages into the conversation and waits for every ack. */
  private static void fill(WsClient customer, long conversation, int count) {
    for (int i = 0; i < count; i++) {
      customer.send(of("type", "send", "conversation", conversation, "cmid", "long-" + i, "text", LONG_TEXT));
    }
    for (int i = 0; i < count; i++) {
      customer.until("ack");
    }
  }

  @Test
  void aCustomerResumingALongTranscriptOverAndOverWithoutReadingCostsBoundedMemory() {
    TestServer.Setup s = server.setUp();
    try (WsClient customer = server.customer()) {
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .next("welcome").path("visitor").asText();
      long conversation = customer.send(of("type", "start", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      fill(customer, conversation, 1000);

      long before = Memory.usedAfterGc();
      try (RawWebSocket attacker = RawWebSocket.connect(server.port(), "/ws/customer", 4096)) {
        attacker.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center(), "visitor", visitor))
            .until("welcome");
        // The probe of the issue: resume from the start ten times a second, never reading; 4 s here.
        for (int i = 0; i < 40; i++) {
          attacker.sendText(of("type", "resume", "rid", i, "conversation", conversation, "afterSeq", 0));
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        long grown = Memory.usedAfterGc() - before;
        System.out.printf("resume loop: 40 resumes of a 12 MB transcript, memory grew %.1f MiB%n",
            grown / (double) MIB);
        assertTrue(grown < 48 * MIB, "memory grew " + grown / MIB + " MiB");

        // Meanwhile, the same customer's other window and a new customer are served as ever.
        customer.send(of("type", "send", "conversation", conversation, "cmid", "after", "text", "still here"));
        assertEquals(1001, customer.until("ack").path("seq").asLong());
        try (WsClient other = server.customer()) {
          other.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
          other.send(of("type", "start", "queue", s.queue())).next("started");
        }
      }
    }
  }

  @Test
  void resumesWaitInLineAndPastSixtyFourAreRefused() {
    TestServer.Setup s = server.setUp();
    try (WsClient customer = server.customer()) {
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .next("welcome").path("visitor").asText();
      long conversation = customer.send(of("type", "start", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      // About 5 MB: more than the socket buffers take, so the first replay waits for the client.
      fill(customer, conversation, 400);
      try (RawWebSocket client = RawWebSocket.connect(server.port(), "/ws/customer", 4096)) {
        client.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center(), "visitor", visitor))
            .until("welcome");
        for (int i = 0; i < 70; i++) {
          client.sendText(of("type", "resume", "rid", i, "conversation", conversation, "afterSeq", 0));
        }
        // One replayed, 64 waiting: the last five are refused at once, in order.
        for (int rid = 65; rid < 70; rid++) {
          JsonNode refused = client.until("error");
          assertEquals("rate_limited", refused.path("code").asText());
          assertEquals(rid, refused.path("rid").asInt());
        }
      }
    }
  }

  @Test
  void aCustomerThatStopsReadingWhileTheAgentWritesIsClosedWith4008() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent();
        RawWebSocket customer = RawWebSocket.connect(server.port(), "/ws/customer", 4096)) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center())).until("welcome");
      long conversation = customer.sendText(of("type", "start", "queue", s.queue())).until("started")
          .path("conversation").path("id").asLong();
      customer.until("assigned");
      agent.until("assigned");

      long before = Memory.usedAfterGc();
      fill(agent, conversation, 800);
      long grown = Memory.usedAfterGc() - before;
      System.out.printf("customer not reading: 800 messages pushed, memory grew %.1f MiB%n", grown / (double) MIB);
      assertTrue(grown < 24 * MIB, "memory grew " + grown / MIB + " MiB");

      agent.send(of("type", "send", "conversation", conversation, "cmid", "after", "text", "고객님?"));
      assertEquals(801, agent.until("ack").path("seq").asLong());
      assertEquals(4008, customer.closeCode(new HashMap<>()), "closed as too slow");
    }
  }

  @Test
  void anAgentThatStopsReadingIsClosedWith4008AndCatchesUpAfterwards() {
    TestServer.Setup s = server.setUp();
    try (RawWebSocket agent = RawWebSocket.connect(server.port(), "/ws/agent", 4096);
        WsClient customer = server.customer()) {
      agent.sendText(of("type", "hello", "token", s.agentToken())).until("welcome");
      agent.sendText(of("type", "status", "status", "ONLINE")).until("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      long conversation = customer.send(of("type", "start", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      customer.next("assigned");
      agent.until("assigned");

      long before = Memory.usedAfterGc();
      // About 10 MB for an agent that reads nothing: more than the kernel's buffers and the budget hold.
      fill(customer, conversation, 800);
      long grown = Memory.usedAfterGc() - before;
      System.out.printf("agent not reading: 800 messages pushed, memory grew %.1f MiB%n", grown / (double) MIB);
      assertTrue(grown < 24 * MIB, "memory grew " + grown / MIB + " MiB");

      // The customer goes on, and the agent, reading at last, finds the close code after what got through.
      customer.send(of("type", "send", "conversation", conversation, "cmid", "after", "text", "여보세요?"));
      assertEquals(801, customer.until("ack").path("seq").asLong());
      Map<String, Integer> seen = new HashMap<>();
      assertEquals(4008, agent.closeCode(seen), "closed as too slow");
      System.out.printf("agent not reading: got %s before the close%n", seen);
      assertTrue(seen.getOrDefault("message", 0) < 800, "what was held was dropped: " + seen);
    }
    try (WsClient again = server.agent()) {
      JsonNode welcome = again.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      long conversation = welcome.path("conversations").get(0).path("id").asLong();
      again.send(of("type", "resume", "rid", "r", "conversation", conversation, "afterSeq", 0));
      for (int seq = 1; seq <= 801; seq++) {
        assertEquals(seq, again.until("message").path("seq").asLong());
      }
      assertEquals(801, again.until("resumed").path("lastSeq").asLong());
    }
  }
}
