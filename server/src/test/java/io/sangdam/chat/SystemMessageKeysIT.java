package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Json;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of system message carries its key and params beside the Korean text: pushed live to both
 * sides, replayed by a resume, in the REST transcript, and stored with the message.
 */
class SystemMessageKeysIT {
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  /** The system messages one conversation goes through below, in order: key, then params. */
  private static final List<Map.Entry<String, Map<String, String>>> EXPECTED = List.of(
      Map.entry("conversation.held", Map.of()),
      Map.entry("conversation.resumed", Map.of()),
      Map.entry("conversation.transferredToQueue", Map.of()),
      Map.entry("conversation.transferredToAgent", Map.of("agent", "박상담")),
      Map.entry("conversation.agentLost", Map.of()),
      Map.entry("conversation.takenOver", Map.of("name", "최매니저")),
      Map.entry("conversation.idleWarning", Map.of("minutes", "15")));

  @Test
  void everySystemMessageCarriesItsKeyAndParamsLiveInReplayInTheTranscriptAndInTheDatabase() {
    TestServer.Setup s = server.setUp();
    String tenant = "/api/tenants/" + s.tenant();
    Duration idleWarning = Duration.ofSeconds(47);
    Duration agentGrace = Duration.ofSeconds(37);
    server.http().expect(200, "PUT", tenant + "/centers/seoul/settings", s.adminToken(), of("idleWarningSeconds",
        idleWarning.toSeconds(), "idleCloseSeconds", 900, "agentGraceSeconds", agentGrace.toSeconds()));
    server.http().expect(201, "POST", tenant + "/users", s.adminToken(), of("username", "park", "password",
        "agent-pass-2", "name", "박상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    server.http().expect(201, "POST", tenant + "/users", s.adminToken(), of("username", "choi", "password",
        TestServer.STAFF_PASSWORD, "name", "최매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    List<JsonNode> told = new ArrayList<>();
    long id;
    try (WsClient kim = server.agent(); WsClient customer = server.customer(); WsClient park = server.agent();
        WsClient choi = server.agent()) {
      kim.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      kim.send(of("type", "status", "status", "ONLINE")).next("status");
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome")
          .path("visitor").asText();
      id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id").asLong();
      customer.next("assigned");
      kim.next("assigned");

      kim.send(of("type", "hold", "conversation", id, "hold", true));
      told.add(systemMessage(customer, kim));
      kim.send(of("type", "hold", "conversation", id, "hold", false));
      told.add(systemMessage(customer, kim));

      kim.send(of("type", "transfer", "conversation", id, "toQueue", "card"));
      kim.until("transferred");
      told.add(systemMessage(customer, null));
      kim.until("assigned");

      park.send(of("type", "hello", "token", server.http().login(s.tenant(), "park", "agent-pass-2"))).next("welcome");
      park.send(of("type", "status", "status", "ONLINE")).next("status");
      kim.send(of("type", "transfer", "conversation", id, "toAgent", "park"));
      park.until("assigned");
      told.add(systemMessage(customer, park));

      park.send(of("type", "status", "status", "OFFLINE")).until("status");
      time.awaitTaskDueIn(agentGrace);
      time.advance(agentGrace);
      told.add(systemMessage(customer, null));
      kim.until("assigned");

      choi.send(of("type", "hello", "token", server.http().login(s.tenant(), "choi", TestServer.STAFF_PASSWORD))).next("welcome");
      // ONLINE, so that the chat she takes over is not given back when an offline agent's grace runs out.
      choi.send(of("type", "status", "status", "ONLINE")).next("status");
      choi.send(of("type", "watch", "conversation", id)).next("watching");
      choi.send(of("type", "takeover", "conversation", id));
      choi.until("takenOver");
      // The supervisor may read it before or after takenOver: the customer's copy is checked.
      told.add(systemMessage(customer, null));

      choi.send(of("type", "send", "conversation", id, "cmid", "m-1", "text", "제가 이어서 도와드리겠습니다")).until("ack");
      customer.until("message");
      time.awaitTaskDueIn(idleWarning);
      time.advance(idleWarning);
      told.add(systemMessage(customer, null));

      try (WsClient back = server.customer()) {
        JsonNode welcome = back.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor))
            .next("welcome");
        assertEquals(id, welcome.path("open").get(0).path("id").asLong());
        back.send(of("type", "resume", "conversation", id, "afterSeq", 0));
        List<JsonNode> replayed = new ArrayList<>();
        for (JsonNode m = back.next(); !m.path("type").asText().equals("resumed"); m = back.next()) {
          if (m.path("from").asText().equals("system")) {
            replayed.add(m);
          }
        }
        assertKeys("replayed by a resume", replayed);
      }
    }
    assertKeys("pushed live", told);

    JsonNode transcript = server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null);
    List<JsonNode> inTranscript = new ArrayList<>();
    transcript.path("messages").forEach(m -> {
      if (m.path("from").asText().equals("system")) {
        inTranscript.add(m);
      }
    });
    assertKeys("in the transcript", inTranscript);
    assertEquals("박상담 상담사가 이어서 상담해 드리겠습니다.", inTranscript.get(3).path("text").asText(),
        "the text stays the tenant's wording with the params filled in");

    var db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sender_kind, system_key, system_params FROM message"
            + " WHERE conversation_id = " + id + " ORDER BY seq")) {
      List<String> keys = new ArrayList<>();
      while (rs.next()) {
        if (rs.getString(1).equals("SYSTEM")) {
          keys.add(rs.getString(2) + " " + rs.getString(3));
        } else {
          assertEquals(null, rs.getString(2), "only system messages have a key");
        }
      }
      assertEquals("conversation.transferredToAgent {\"agent\":\"박상담\"}", keys.get(3));
      assertEquals(EXPECTED.size(), keys.size());
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The next system message the customer gets, and the same pushed to the agent's console (when given). */
  private static JsonNode systemMessage(WsClient customer, WsClient agent) {
    JsonNode m = customer.until("message");
    assertEquals("system", m.path("from").asText(), m.toString());
    if (agent != null) {
      JsonNode atAgent = agent.until("message");
      assertEquals(m.path("seq"), atAgent.path("seq"));
      assertEquals(m.path("key"), atAgent.path("key"));
      assertEquals(m.path("params"), atAgent.path("params"));
    }
    return m;
  }

  private static void assertKeys(String where, List<JsonNode> messages) {
    assertEquals(EXPECTED.size(), messages.size(), where + ": " + messages);
    for (int i = 0; i < EXPECTED.size(); i++) {
      JsonNode m = messages.get(i);
      assertEquals(EXPECTED.get(i).getKey(), m.path("key").asText(), where + ": " + m);
      assertEquals(Json.MAPPER.valueToTree(EXPECTED.get(i).getValue()), m.path("params"), where + ": " + m);
      assertFalse(m.path("text").asText().isBlank(), where + ": the text stays, for clients that know no key");
    }
  }
}
