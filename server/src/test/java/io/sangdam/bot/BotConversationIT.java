package io.sangdam.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conversations owned by a bot, on the widget's path: greeted on start and never routed until the bot hands them
 * off; menus answered by button and by typed text; a form re-asking an answer that does not read; a hand-off landing
 * in WAITING from then with the fields shown masked to the agent beside the bot's transcript; an end with reason
 * {@code bot}; a restart mid-scenario carrying on where the conversation stood. The scenario is saved through the
 * bot's own store, as the admins' REST saves it.
 */
class BotConversationIT {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final Json JSON = new Json();
  private static Database db;
  private static Directory directory;
  private static BotEditor editor;

  static final String SCENARIO = """
      {"name": "상담봇", "start": "menu", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?", "buttons": [
           {"id": "order", "label": "주문 조회", "next": "form"},
           {"id": "talk", "label": "상담원 연결", "next": "agent"},
           {"id": "bye", "label": "종료", "next": "end"},
           {"id": "later", "label": "나중에 연락 주세요", "next": "callback"}]},
         {"id": "callback", "type": "form", "next": "inquiry", "fields": [
           {"name": "phone", "type": "phone", "label": "휴대폰", "prompt": "연락받으실 번호를 알려 주세요."}]},
         {"id": "inquiry", "type": "inquiry", "text": "문의를 남겼습니다. 곧 연락드리겠습니다.", "queue": "card"},
         {"id": "form", "type": "form", "text": "주문 정보를 알려 주세요.", "next": "agent", "fields": [
           {"name": "phone", "type": "phone", "label": "휴대폰", "prompt": "휴대폰 번호를 알려 주세요."},
           {"name": "order", "type": "orderNumber", "label": "주문번호", "prompt": "주문번호를 알려 주세요."}]},
         {"id": "agent", "type": "handoff", "text": "상담원을 연결합니다.", "queue": "card"},
         {"id": "end", "type": "end", "reason": "done", "text": "이용해 주셔서 감사합니다."}
       ]}
      """;

  @BeforeAll
  static void store() {
    var url = server.database();
    db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher());
    directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), JSON), new LocalChanges());
    directory.load();
    JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), JSON);
    editor = new BotEditor(store, new CachedBotLibrary(store, JSON, Ticker.systemTicker()), directory,
        new LocalChanges());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  /** A tenant of the server's ({@link TestServer#setUp}) whose queue card greets with {@link #SCENARIO}. */
  private static TestServer.Setup withBot() {
    TestServer.Setup s = server.setUp();
    directory.refresh();
    Tenant tenant = directory.tenantByCode(s.tenant()).orElseThrow();
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    Queue card = directory.queue(center.id(), s.queue()).orElseThrow();
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(SCENARIO), SCENARIO, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.queue(center.id(), card.id()), saved.id(), null);
    editor.addFaq(tenant.id(), "배송은 언제 오나요?", List.of("배송 기간"), "보통 2~3일 걸립니다.", true);
    return s;
  }

  private static long start(TestServer.Setup s, WsClient customer) {
    customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
    JsonNode started = customer.send(io.sangdam.testing.Json.of("type", "start", "rid", "s", "queue", s.queue())).next("started");
    assertEquals("BOT", started.path("conversation").path("state").asText(), started::toString);
    return started.path("conversation").path("id").asLong();
  }

  /** Messages that came before the ack of the customer's send (the bot may answer before the ack is read). */
  private final java.util.ArrayDeque<JsonNode> early = new java.util.ArrayDeque<>();

  /** The bot's next message to the customer. */
  private JsonNode bot(WsClient customer) {
    JsonNode m = early.isEmpty() ? customer.until("message") : early.poll();
    assertEquals("bot", m.path("from").asText(), m::toString);
    assertEquals("상담봇", m.path("name").asText(), m::toString);
    return m;
  }

  private void send(WsClient customer, long conversation, String cmid, String text, String button) {
    var frame = io.sangdam.testing.Json.of("type", "send", "rid", cmid, "conversation", conversation, "cmid", cmid, "text", text);
    if (button != null) {
      frame.put("button", button);
    }
    customer.send(frame);
    for (JsonNode m = customer.next(); !m.path("type").asText().equals("ack"); m = customer.next()) {
      if (m.path("type").asText().equals("message")) {
        early.add(m);
      }
    }
  }

  private static List<String> buttonIds(JsonNode m) {
    List<String> ids = new ArrayList<>();
    m.path("buttons").forEach(b -> ids.add(b.path("id").asText()));
    return ids;
  }

  @Test
  void menuByTextAndButtonThenAFormThenAHandOffThatTheAgentSeesWithTheTranscriptAndFields() throws Exception {
    TestServer.Setup s = withBot();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(io.sangdam.testing.Json.of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(io.sangdam.testing.Json.of("type", "status", "status", "ONLINE")).next("status");
      long id = start(s, customer);
      JsonNode menu = bot(customer);
      assertEquals("무엇을 도와드릴까요?", menu.path("text").asText());
      assertEquals(List.of("order", "talk", "bye", "later"), buttonIds(menu));
      assertEquals("주문 조회", menu.path("buttons").get(0).path("label").asText());
      // With the bot, no agent is offered it, though one is ONLINE with room.
      JsonNode waiting = agent.send(io.sangdam.testing.Json.of("type", "waiting", "rid", "w")).next("waiting");
      assertEquals(0, waiting.path("conversations").size(), waiting::toString);

      // Typed text at a menu is a question for the FAQ: answered, then the menu again.
      send(customer, id, "c1", "배송은 언제 오나요?", null);
      assertEquals("보통 2~3일 걸립니다.", bot(customer).path("text").asText());
      assertEquals(List.of("order", "talk", "bye", "later"), buttonIds(bot(customer)));

      send(customer, id, "c2", "주문 조회", "order");
      assertEquals("주문 정보를 알려 주세요.", bot(customer).path("text").asText());
      assertEquals("휴대폰 번호를 알려 주세요.", bot(customer).path("text").asText());
      send(customer, id, "c3", "123", null);
      assertTrue(bot(customer).path("text").asText().contains("010-1234-5678"), "asked again");
      send(customer, id, "c4", "010-9876-5432", null);
      assertEquals("주문번호를 알려 주세요.", bot(customer).path("text").asText());
      Timestamp beforeHandOff = now();
      agent.assertNothingSoFar("no agent hears of it while the bot has it");
      send(customer, id, "c5", "A-20261202", null);
      assertEquals("상담원을 연결합니다.", bot(customer).path("text").asText());

      JsonNode assigned = agent.until("assigned");
      assertEquals(id, assigned.path("conversation").path("id").asLong());
      customer.until("assigned");
      try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
          "SELECT state, queued_at, handed_off_at, created_at FROM conversation WHERE id = ?")) {
        ps.setLong(1, id);
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next());
        assertEquals("ASSIGNED", rs.getString(1));
        assertFalse(rs.getTimestamp(2).before(beforeHandOff), "queued from the hand-off");
        assertEquals(rs.getTimestamp(2), rs.getTimestamp(3));
        assertTrue(rs.getTimestamp(4).before(beforeHandOff), "created when the customer met the bot");
      }

      JsonNode history = agent.send(io.sangdam.testing.Json.of("type", "history", "rid", "h", "conversation", id)).next("history");
      JsonNode fields = history.path("botFields");
      assertEquals(2, fields.size(), history::toString);
      assertEquals("휴대폰", fields.get(0).path("label").asText());
      assertFalse(fields.get(0).path("value").asText().contains("9876"), "a personal field is masked: " + fields);
      assertEquals("A-20261202", fields.get(1).path("value").asText());

      agent.send(io.sangdam.testing.Json.of("type", "resume", "rid", "r", "conversation", id, "afterSeq", 0));
      List<String> transcript = new ArrayList<>();
      for (JsonNode m = agent.next(); !m.path("type").asText().equals("resumed"); m = agent.next()) {
        transcript.add(m.path("from").asText() + ":" + m.path("text").asText());
      }
      assertEquals("bot:무엇을 도와드릴까요?", transcript.get(0), transcript::toString);
      assertTrue(transcript.contains("customer:주문 조회"), transcript::toString);
      assertTrue(transcript.contains("bot:상담원을 연결합니다."), transcript::toString);
      assertEquals("A-20261202", messageButtonOrText(id, "customer", 5));
      assertEquals("order", buttonOf(id, "주문 조회"));
    }
  }

  @Test
  void theBotEndsItWithReasonBotAndItIsNeverOfferedToAgents() throws Exception {
    TestServer.Setup s = withBot();
    try (WsClient customer = server.customer()) {
      customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .next("welcome");
      // The text given with start is message 1, before the greeting: kept, and no answer to it.
      JsonNode started = customer.send(io.sangdam.testing.Json.of("type", "start", "rid", "s", "queue", s.queue(),
          "text", "안녕하세요")).next("started");
      long id = started.path("conversation").path("id").asLong();
      assertEquals(1, started.path("conversation").path("lastSeq").asLong());
      JsonNode greeting = bot(customer);
      assertEquals(2, greeting.path("seq").asLong());
      send(customer, id, "b1", "종료", "bye");
      assertEquals("이용해 주셔서 감사합니다.", bot(customer).path("text").asText());
      JsonNode closed = customer.until("closed");
      assertEquals("bot", closed.path("reason").asText());
      assertTrue(closed.path("rate").isMissingNode(), "nothing to rate without an agent");
      try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
          "SELECT state, close_reason, (SELECT COUNT(*) FROM stats_hour h JOIN tenant t ON t.id = h.tenant_id "
              + "WHERE t.code = ?) FROM conversation WHERE id = ?")) {
        ps.setString(1, s.tenant());
        ps.setLong(2, id);
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next());
        assertEquals("CLOSED", rs.getString(1));
        assertEquals("bot", rs.getString(2));
        assertEquals(0, rs.getInt(3), "not counted as offered to any queue");
      }
    }
  }

  @Test
  void anInquiryNodeLeavesAnOfflineInquiryWithTheCollectedContactAndEndsIt() throws Exception {
    TestServer.Setup s = withBot();
    try (WsClient customer = server.customer()) {
      long id = start(s, customer);
      bot(customer);
      send(customer, id, "i1", "나중에 연락 주세요", "later");
      assertEquals("연락받으실 번호를 알려 주세요.", bot(customer).path("text").asText());
      send(customer, id, "i2", "01055556666", null);
      assertEquals("문의를 남겼습니다. 곧 연락드리겠습니다.", bot(customer).path("text").asText());
      assertEquals("bot", customer.until("closed").path("reason").asText());
      try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
          "SELECT i.contact, i.body, q.code FROM offline_inquiry i JOIN chat_queue q ON q.id = i.queue_id "
              + "JOIN conversation v ON v.customer_id = i.customer_id WHERE v.id = ?")) {
        ps.setLong(1, id);
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next(), "an inquiry was left");
        assertEquals("010-5555-6666", server.fieldCipher().open(rs.getString(1)));
        assertEquals("휴대폰: 010-5555-6666", server.fieldCipher().open(rs.getString(2)));
        assertEquals("card", rs.getString(3));
      }
    }
  }

  @Test
  void aCustomerWhoLeavesTheBotClosesItAsACustomerNotAsAbandoned() throws Exception {
    TestServer.Setup s = withBot();
    try (WsClient customer = server.customer()) {
      long id = start(s, customer);
      bot(customer);
      JsonNode closed = customer.send(io.sangdam.testing.Json.of("type", "leave", "rid", "l", "conversation", id)).until("closed");
      assertEquals("customer", closed.path("reason").asText(), closed::toString);
    }
  }

  @Test
  void aWidgetCustomerGoneWhileTheBotHasItClosesItAsLeavingAfterTheGrace() throws Exception {
    TestServer.Setup s = withBot();
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/settings", s.adminToken(),
        io.sangdam.testing.Json.of("customerGraceSeconds", 1));
    long id;
    try (WsClient customer = server.customer()) {
      id = start(s, customer);
      bot(customer);
    }
    String ended = io.sangdam.testing.Eventually.eventually("conversation " + id + " ended", () -> {
      try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
          "SELECT CONCAT(state, '/', COALESCE(close_reason, '')) FROM conversation WHERE id = ?")) {
        ps.setLong(1, id);
        ResultSet rs = ps.executeQuery();
        rs.next();
        return rs.getString(1);
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    }, state -> !state.startsWith("BOT"));
    assertEquals("CLOSED/customer", ended);
  }

  @Test
  void aButtonOnAConversationNoBotHasIsIgnoredAndTheTextStored() throws Exception {
    TestServer.Setup s = server.setUp();
    try (WsClient customer = server.customer()) {
      customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      JsonNode started = customer.send(io.sangdam.testing.Json.of("type", "start", "rid", "s", "queue", s.queue())).next("started");
      assertEquals("WAITING", started.path("conversation").path("state").asText(), "no scenario: as before");
      long id = started.path("conversation").path("id").asLong();
      send(customer, id, "p1", "안녕하세요", "order");
      assertNull(buttonOf(id, "안녕하세요"));
      JsonNode refused = customer.send(io.sangdam.testing.Json.of("type", "send", "rid", "p2", "conversation", id, "cmid", "p2",
          "text", "x", "button", "b".repeat(65))).next("error");
      assertEquals("invalid_field", refused.path("code").asText(), refused::toString);
      assertTrue(refused.path("message").asText().contains("button"), refused::toString);
    }
  }

  @Test
  void aRestartMidScenarioCarriesOnWhereTheConversationStood() throws Exception {
    TestServer.Setup s = withBot();
    long id;
    String visitor;
    try (WsClient customer = server.customer()) {
      visitor = customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome")
          .path("visitor").asText();
      id = customer.send(io.sangdam.testing.Json.of("type", "start", "rid", "s", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      bot(customer);
      send(customer, id, "r1", "주문 조회", "order");
      bot(customer);
      assertEquals("휴대폰 번호를 알려 주세요.", bot(customer).path("text").asText());
    }
    // A second customer's conversation whose node stopped right after the start, before the greeting was kept.
    long unGreeted;
    try (WsClient other = server.customer()) {
      unGreeted = start(s, other);
      bot(other);
    }
    server.stop();
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE conversation SET bot_state = NULL, bot_answered_seq = NULL WHERE id = ?")) {
      ps.setLong(1, unGreeted);
      assertEquals(1, ps.executeUpdate());
    }
    server.start();
    List<String> greetedAfter = io.sangdam.testing.Eventually.eventually("conversation " + unGreeted + " greeted",
        () -> {
          try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
              "SELECT body FROM message WHERE conversation_id = ? AND sender_kind = 'BOT' ORDER BY seq")) {
            ps.setLong(1, unGreeted);
            ResultSet rs = ps.executeQuery();
            List<String> bodies = new ArrayList<>();
            while (rs.next()) {
              bodies.add(rs.getString(1));
            }
            return bodies;
          } catch (SQLException e) {
            throw new AssertionError(e);
          }
        }, bodies -> bodies.size() >= 2);
    assertEquals(List.of("무엇을 도와드릴까요?", "무엇을 도와드릴까요?"), greetedAfter, "greeted once more at take-up");
    try (WsClient customer = server.customer()) {
      JsonNode welcome = customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center(),
          "visitor", visitor)).next("welcome");
      assertEquals("BOT", welcome.path("open").get(0).path("state").asText(), welcome::toString);
      send(customer, id, "r2", "010-1111-2222", null);
      assertEquals("주문번호를 알려 주세요.", bot(customer).path("text").asText());
    }
  }

  /**
   * The crash window: the customer's message is stored, and the node stops before the bot's turn on it runs (here
   * the row is written while the server is down, as the node wrote it just before dying). At the restart the bot
   * answers it, once; the customer's client sending it again (it never saw the ack) is acked as before and not
   * answered again, nor is it at another restart.
   */
  @Test
  void aMessageWhoseTurnNeverRanIsAnsweredOnceAtTheRestart() throws Exception {
    TestServer.Setup s = withBot();
    long id;
    String visitor;
    try (WsClient customer = server.customer()) {
      visitor = customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .next("welcome").path("visitor").asText();
      id = customer.send(io.sangdam.testing.Json.of("type", "start", "rid", "s", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      bot(customer);
      send(customer, id, "w1", "주문 조회", "order");
      bot(customer);
      assertEquals("휴대폰 번호를 알려 주세요.", bot(customer).path("text").asText());
    }
    server.stop();
    long lost;
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("""
        INSERT INTO message (conversation_id, seq, sender_kind, sender_id, cmid, body, created_at)
        SELECT v.id, (SELECT MAX(seq) + 1 FROM message WHERE conversation_id = v.id), 'CUSTOMER', v.customer_id,
               'w2', '010-1111-2222', NOW(3)
        FROM conversation v WHERE v.id = ?""")) {
      ps.setLong(1, id);
      assertEquals(1, ps.executeUpdate());
      lost = lastSeq(id);
    }
    server.start();
    List<String> after = io.sangdam.testing.Eventually.eventually("the bot answers message " + lost,
        () -> botSaidAfter(id, lost), said -> !said.isEmpty());
    assertEquals(List.of("주문번호를 알려 주세요."), after);

    server.stop();
    server.start();
    try (WsClient customer = server.customer()) {
      customer.send(io.sangdam.testing.Json.of("type", "hello", "tenant", s.tenant(), "center", s.center(),
          "visitor", visitor)).next("welcome");
      JsonNode again = customer.send(io.sangdam.testing.Json.of("type", "send", "rid", "w2", "conversation", id,
          "cmid", "w2", "text", "010-1111-2222")).next("ack");
      assertEquals(lost, again.path("seq").asLong(), "the original ack: " + again);
      send(customer, id, "w3", "A-20261203", null);
      assertEquals("상담원을 연결합니다.", bot(customer).path("text").asText());
    }
    assertEquals(List.of("주문번호를 알려 주세요.", "상담원을 연결합니다."), botSaidAfter(id, lost),
        "each customer message answered once, in order, over two restarts and a send repeated");
  }

  /**
   * A node died in the bot's last turn, after counting it and leaving its inquiry, before ending the conversation (the
   * rows are written while the server is down, as that node wrote them). At the restart the turn runs again, since
   * its message is still unanswered: it ends the conversation, leaves no second inquiry and counts nothing again.
   */
  @Test
  void aLastTurnRunAgainAfterACrashLeavesOneInquiryAndCountsNothingTwice() throws Exception {
    TestServer.Setup s = withBot();
    long id;
    try (WsClient customer = server.customer()) {
      id = start(s, customer);
      bot(customer);
      send(customer, id, "l1", "나중에 연락 주세요", "later");
      assertEquals("연락받으실 번호를 알려 주세요.", bot(customer).path("text").asText());
    }
    server.stop();
    try (Connection c = connection()) {
      try (PreparedStatement ps = c.prepareStatement("""
          INSERT INTO message (conversation_id, seq, sender_kind, sender_id, cmid, body, created_at)
          SELECT v.id, (SELECT MAX(seq) + 1 FROM message WHERE conversation_id = v.id), 'CUSTOMER', v.customer_id,
                 'l2', '010-3333-4444', NOW(3)
          FROM conversation v WHERE v.id = ?""")) {
        ps.setLong(1, id);
        assertEquals(1, ps.executeUpdate());
      }
      try (PreparedStatement ps = c.prepareStatement("""
          INSERT INTO offline_inquiry (tenant_id, center_id, queue_id, customer_id, conversation_id, contact, body,
                                       created_at)
          SELECT v.tenant_id, v.center_id, v.queue_id, v.customer_id, v.id, '010-3333-4444', '휴대폰: 010-3333-4444',
                 NOW(3)
          FROM conversation v WHERE v.id = ?""")) {
        ps.setLong(1, id);
        assertEquals(1, ps.executeUpdate());
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE conversation SET bot_counted_seq = ? WHERE id = ?")) {
        ps.setLong(1, lastSeq(id) + 1);
        ps.setLong(2, id);
        assertEquals(1, ps.executeUpdate());
      }
    }
    server.start();
    io.sangdam.testing.Eventually.eventually("the conversation ends at the restart", () -> state(id),
        "CLOSED"::equals);
    assertEquals(1, count("SELECT COUNT(*) FROM offline_inquiry WHERE conversation_id = ?", id), "one inquiry");
    assertEquals(0, count("""
        SELECT COALESCE(SUM(b.inquiries), 0) FROM stats_bot_hour b JOIN conversation v ON v.tenant_id = b.tenant_id
        WHERE v.id = ?""", id), "the turn counted before the crash is not counted again");
  }

  private static String state(long conversation) {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT state FROM conversation WHERE id = ?")) {
      ps.setLong(1, conversation);
      ResultSet rs = ps.executeQuery();
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String sql, long conversation) throws SQLException {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, conversation);
      ResultSet rs = ps.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long lastSeq(long conversation) throws SQLException {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(seq) FROM message WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      ResultSet rs = ps.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What the bot said after message {@code seq}, in order. */
  private static List<String> botSaidAfter(long conversation, long seq) {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM message WHERE conversation_id = ? AND seq > ? AND sender_kind = 'BOT' ORDER BY seq")) {
      ps.setLong(1, conversation);
      ps.setLong(2, seq);
      ResultSet rs = ps.executeQuery();
      List<String> said = new ArrayList<>();
      while (rs.next()) {
        said.add(rs.getString(1));
      }
      return said;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static Timestamp now() throws SQLException {
    try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery("SELECT NOW(3)")) {
      rs.next();
      return rs.getTimestamp(1);
    }
  }

  private static String buttonOf(long conversation, String text) throws SQLException {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT button FROM message WHERE conversation_id = ? AND body = ?")) {
      ps.setLong(1, conversation);
      ps.setString(2, text);
      ResultSet rs = ps.executeQuery();
      assertTrue(rs.next(), "message '" + text + "' stored");
      return rs.getString(1);
    }
  }

  /** The text of the customer's {@code n}th message (1-based). */
  private static String messageButtonOrText(long conversation, String from, int n) throws SQLException {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT body FROM message WHERE conversation_id = ? AND sender_kind = ? ORDER BY seq LIMIT 1 OFFSET ?")) {
      ps.setLong(1, conversation);
      ps.setString(2, from.toUpperCase(java.util.Locale.ROOT));
      ps.setInt(3, n - 1);
      ResultSet rs = ps.executeQuery();
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  private static Connection connection() throws SQLException {
    var url = server.database();
    return DriverManager.getConnection(url.url(), url.user(), url.password());
  }
}
