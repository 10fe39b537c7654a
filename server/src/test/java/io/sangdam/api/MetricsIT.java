package io.sangdam.api;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics in the Prometheus text format, counting what really happened. */
class MetricsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String scrape() {
    Http.Download page = server.http().download("/metrics", null);
    assertEquals(200, page.status());
    assertTrue(page.header("Content-Type").startsWith("text/plain; version=0.0.4"), page.header("Content-Type"));
    return new String(page.body(), StandardCharsets.UTF_8);
  }

  private static double value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), series + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theMetersCountSessionsMessagesDecisionsWaitingAndThePool() {
    TestServer.Setup s = server.setUp();
    double decisionsBefore = value(scrape(), "sangdam_routing_decisions_total");
    double storedBefore = value(scrape(), "sangdam_messages_stored_total");
    try (WsClient agent = server.agent(); WsClient customer = server.customer(); WsClient waiting = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      customer.send(of("type", "send", "conversation", id, "cmid", "m1", "text", "안녕하세요")).next("ack");
      agent.until("message"); // counted before the sessions are told: the event counter subscribes first
      agent.send(of("type", "status", "status", "AWAY")).until("status");
      waiting.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      waiting.send(of("type", "start", "queue", "card")).next("started");

      String text = scrape();
      assertTrue(value(text, "sangdam_sessions{kind=\"customer\"}") >= 2);
      assertTrue(value(text, "sangdam_sessions{kind=\"agent\"}") >= 1);
      assertTrue(value(text, "sangdam_connections") >= 3);
      assertEquals(decisionsBefore + 1, value(text, "sangdam_routing_decisions_total"), "one assignment");
      assertEquals(storedBefore + 1, value(text, "sangdam_messages_stored_total"), "one message committed");
      assertTrue(value(text, "sangdam_conversation_events_total{type=\"message_stored\"}") >= 1, "events by type");
      assertTrue(value(text, "sangdam_writer_batch_size_count") >= 1);
      assertTrue(value(text, "sangdam_writer_commit_seconds_count") >= 1);
      assertTrue(text.contains("hikaricp_connections_active{pool=\"sangdam-db\"}"), "the pool's meters");
      assertTrue(text.contains("jvm_memory_used_bytes{"), "the JVM's meters");

      String series = "sangdam_waiting{center=\"seoul\",tenant=\"" + s.tenant() + "\"}";
      eventually("the waiting customer, per center, within the 5 s refresh", () -> {
        String now = scrape();
        return now.contains(series) ? value(now, series) : -1;
      }, waitingNow -> waitingNow == 1);
    }
    assertEquals(405, server.http().send("POST", "/metrics", null, null).status(), "read only");
  }

  /**
   * Each agent's message restarts the conversation's idle clock: the clock it replaces leaves the timer queue
   * then, not at its due time 10 minutes on (at 2,000 agents' messages a second that queue held a million).
   */
  @Test
  void aReplacedIdleClockLeavesTheTimerQueue() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "send", "conversation", id, "cmid", "first", "text", "안녕하세요")).until("ack");
      customer.until("message");
      double before = value(scrape(), "sangdam_timers_pending");
      // 40: within the flood limit's burst of 60 frames.
      for (int i = 0; i < 40; i++) {
        agent.send(of("type", "send", "conversation", id, "cmid", "a" + i, "text", "네, 확인해 드릴게요")).until("ack");
      }
      double after = value(scrape(), "sangdam_timers_pending");
      assertTrue(after - before < 10, "40 idle clocks replaced, yet " + before + " -> " + after + " timers pending");
    }
  }
}
