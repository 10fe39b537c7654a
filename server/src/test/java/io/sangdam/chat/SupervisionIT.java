package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** A center manager watches, whispers, takes over and reassigns; the customer sees none of the watching. */
// One test at a time: each advances the class's clock, which runs every timer due, other tests' too.
@Execution(ExecutionMode.SAME_THREAD)
class SupervisionIT {
  /** The overflow falls due when the test advances it. */
  private static final ManualTime time = new ManualTime(Instant.parse("2026-12-01T01:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  @Test
  void aManagerWatchesWhispersTakesOverAndReassignsAndEveryActionIsAudited() throws Exception {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "park", "password",
        TestServer.STAFF_PASSWORD, "name", "박매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    server.http().expect(201, "POST", base + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "choi", "password",
        TestServer.STAFF_PASSWORD, "name", "최매니저", "role", "CENTER_MANAGER", "center", "busan"));
    try (WsClient kim = server.agent(); WsClient customer = server.customer(); WsClient park = server.agent();
        WsClient choi = server.agent()) {
      long id = server.assignedChat(s, kim, customer);
      park.send(of("type", "hello", "token", server.http().login(s.tenant(), "park", TestServer.STAFF_PASSWORD))).next("welcome");
      choi.send(of("type", "hello", "token", server.http().login(s.tenant(), "choi", TestServer.STAFF_PASSWORD)))
          .next("welcome");

      choi.send(of("type", "watch", "conversation", id));
      assertEquals("not_found", choi.next("error").path("code").asText(), "another center's manager");
      kim.send(of("type", "watch", "conversation", id));
      assertEquals("forbidden", kim.next("error").path("code").asText(), "agents do not supervise");

      JsonNode watching = park.send(of("type", "watch", "rid", "w", "conversation", id)).next("watching");
      assertEquals(id, watching.path("conversation").path("id").asLong());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "도와주세요")).next("ack");
      kim.next("message");
      assertEquals("도와주세요", park.next("message").path("text").asText());
      park.send(of("type", "send", "conversation", id, "cmid", "p-1", "text", "watchers cannot speak"));
      assertEquals("not_found", park.next("error").path("code").asText());

      park.send(of("type", "whisper", "conversation", id, "cmid", "wh-1", "text", "환불 규정 확인하세요"));
      assertTrue(park.next("ack").path("note").asBoolean());
      JsonNode whisper = kim.next("note");
      assertEquals("WHISPER", whisper.path("kind").asText());
      assertEquals("park", whisper.path("author").path("username").asText());
      customer.assertNothingSoFar("a whisper never reaches the customer");

      try (WsClient hq = server.agent()) {
        hq.send(of("type", "hello", "token", s.adminToken())).next("welcome");
        hq.send(of("type", "watch", "conversation", id)).next("watching");
        hq.send(of("type", "takeover", "conversation", id));
        assertEquals("forbidden", hq.until("error").path("code").asText(), "HQ watches, a center's manager takes over");
      }
      park.send(of("type", "takeover", "rid", "t", "conversation", id));
      assertEquals(id, park.until("takenOver").path("conversation").path("id").asLong());
      assertEquals(id, kim.until("transferred").path("conversation").asLong());
      assertEquals("박매니저", customer.until("assigned").path("agent").path("name").asText());
      park.send(of("type", "send", "conversation", id, "cmid", "p-2", "text", "제가 이어서 돕겠습니다"));
      park.until("ack");
      customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "네"));
      assertEquals("네", park.until("message").path("text").asText());
      park.assertNothingSoFar("the message came once");

      park.send(of("type", "reassign", "conversation", id, "toAgent", "kim"));
      park.until("reassigned");
      assertEquals(id, kim.until("assigned").path("conversation").path("id").asLong());
      assertEquals("김상담", customer.until("assigned").path("agent").path("name").asText());
      park.send(of("type", "reassign", "conversation", id, "toAgent", "nobody"));
      assertEquals("not_found", park.until("error").path("code").asText());
    }
    var db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT action FROM audit_log WHERE actor_name = 'park' AND action LIKE 'supervision.%' ORDER BY id")) {
      StringBuilder actions = new StringBuilder();
      while (rs.next()) {
        actions.append(rs.getString(1)).append(' ');
      }
      assertEquals("supervision.watch supervision.whisper supervision.takeover supervision.reassign",
          actions.toString().trim());
    }
  }

  /** A seoul manager's watch ends when the chat moves to busan: nothing more reaches them, and resume is refused. */
  @Test
  void aWatchEndsWhenTheConversationLeavesTheSupervisorsScope() {
    TestServer.Setup s = server.setUp();
    String jung = SeoulAndBusan.seoulManagerBesideBusan(server, s, "jung");
    try (WsClient kim = server.agent(); WsClient customer = server.customer(); WsClient seoul = server.agent();
        WsClient hq = server.agent()) {
      long id = server.assignedChat(s, kim, customer);
      seoul.send(of("type", "hello", "token", jung)).next("welcome");
      seoul.send(of("type", "watch", "conversation", id)).next("watching");
      hq.send(of("type", "hello", "token", s.adminToken())).next("welcome");
      hq.send(of("type", "watch", "conversation", id)).next("watching");

      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toQueue", "busan/loan", "note", "대출 건"))
          .until("transferred");
      JsonNode dropped = seoul.next("unwatched");
      assertEquals("scope", dropped.path("reason").asText());
      assertEquals(id, dropped.path("conversation").path("id").asLong());
      assertEquals("seoul", dropped.path("conversation").path("center").asText(),
          "shown as the manager last saw it, not where it went");
      assertEquals("system", hq.until("message").path("from").asText(), "HQ's scope covers busan: it keeps watching");

      customer.until("message");
      customer.send(of("type", "send", "conversation", id, "cmid", "c-9", "text", "부산 센터에 물어볼게요")).next("ack");
      assertEquals("부산 센터에 물어볼게요", hq.until("message").path("text").asText(), "HQ still sees it");
      seoul.assertNothingSoFar("nothing more reaches the seoul manager");
      seoul.send(of("type", "resume", "rid", "r", "conversation", id, "afterSeq", 0));
      JsonNode refused = seoul.next("error");
      assertEquals("not_found", refused.path("code").asText());
      assertEquals("r", refused.path("rid").asText());
    }
  }

  /** An overflow moves a waiting chat too: a watcher whose scope does not reach the target queue's center stops watching. */
  @Test
  void aWatchEndsWhenAWaitingConversationOverflowsOutOfScope() {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    String han = SeoulAndBusan.seoulManagerBesideBusan(server, s, "han");
    server.http().expect(201, "POST", base + "/centers/seoul/queues", s.adminToken(), of("code", "spill",
        "name", "넘침", "policy", "LEAST_BUSY", "overflowTo", "busan/loan", "overflowAfterSeconds", 35));
    try (WsClient customer = server.customer(); WsClient seoul = server.agent()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "spill", "text", "대출 문의")).next("started")
          .path("conversation").path("id").asLong();
      seoul.send(of("type", "hello", "token", han)).next("welcome");
      assertEquals("WAITING", seoul.send(of("type", "watch", "conversation", id)).next("watching")
          .path("conversation").path("state").asText());
      time.awaitTaskDueIn(Duration.ofSeconds(35));
      time.advance(Duration.ofSeconds(34));
      seoul.assertNothingSoFar("it waits in seoul until its overflow is due");
      time.advance(Duration.ofSeconds(1));
      JsonNode dropped = seoul.next("unwatched");
      assertEquals("scope", dropped.path("reason").asText());
      assertEquals("spill", dropped.path("conversation").path("queue").asText());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "아직 기다려요")).next("ack");
      seoul.assertNothingSoFar("nothing more reaches the seoul manager");
    }
  }
}
