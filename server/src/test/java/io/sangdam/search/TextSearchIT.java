package io.sangdam.search;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search by text through the server's own index: found or not, masked text for readers who may not unmask, and
 * erased conversations gone from the results and from the index's files.
 */
class TextSearchIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("retention.batchSize", "2");

  /** The setup's agent takes a chat in which the customer writes {@code text}; the agent closes it. */
  static long chat(TestServer server, TestServer.Setup s, String text) {
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", text)).next("started")
          .path("conversation").path("id").asLong();
      agent.next("assigned");
      agent.send(of("type", "send", "conversation", id, "cmid", "r" + id, "text", "확인했습니다")).until("ack");
      agent.send(of("type", "close", "conversation", id)).until("closed");
      return id;
    }
  }

  /** The conversations a search by {@code text} finds once the index sees every message stored until now. */
  static List<Long> found(TestServer server, String tenant, String token, String text) {
    server.awaitSearchIndex();
    JsonNode page = server.http().expect(200, "GET", "/api/tenants/" + tenant + "/conversations?q="
        + URLEncoder.encode(text, StandardCharsets.UTF_8), token, null);
    List<Long> ids = new ArrayList<>();
    page.path("conversations").forEach(c -> ids.add(c.path("id").asLong()));
    return ids;
  }

  /** Documents of the conversation in the index's last commit (an erasure commits at once). */
  static int indexed(Path indexDir, long conversation) throws IOException {
    try (FSDirectory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
      return new IndexSearcher(reader).count(new TermQuery(new Term("conversation", Long.toString(conversation))));
    }
  }

  @Test
  void aWordIsFoundWithItsParticlesAndPersonalDataOnlyByThoseWhoMayUnmask() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    long lost = chat(server, s, "카드를 분실했어요. 제 번호는 010-2222-3333 입니다");
    long refund = chat(server, s, "환불 받고 싶어요");

    assertEquals(List.of(lost), found(server, s.tenant(), manager, "카드"));
    assertEquals(List.of(lost), found(server, s.tenant(), manager, "분실"));
    assertEquals(List.of(), found(server, s.tenant(), manager, "분실신고"));
    assertEquals(List.of(refund, lost), found(server, s.tenant(), manager, "확인"), "the agent's words too");
    assertEquals(List.of(), found(server, s.tenant(), manager, "nothing-like-this"));
    assertEquals(List.of(), found(server, s.tenant(), manager, "%%"), "no letters or digits find nothing");

    assertEquals(List.of(lost), found(server, s.tenant(), manager, "010-2222-3333"), "a manager may unmask");
    assertEquals(List.of(lost), found(server, s.tenant(), manager, "01022223333"), "however it is written");
    assertEquals(List.of(), found(server, s.tenant(), manager, "2222-3333"), "but only the whole number");
    assertEquals(List.of(), found(server, s.tenant(), s.agentToken(), "010-2222-3333"),
        "an agent may not: the hidden digits find nothing, not even their own chat");
    assertEquals(List.of(lost), found(server, s.tenant(), s.agentToken(), "3333"), "what the mask shows is found");
    assertEquals(List.of(lost), found(server, s.tenant(), s.agentToken(), "카드를"));
    List<String> records = accessRecords(s.tenant());
    assertTrue(records.contains("search-pii: conversations of tenant " + tenantId(s) + " holding 010-****-3333"),
        "the manager's search by a whole number is on the records as such: " + records);
    assertEquals(2, records.stream().filter(r -> r.startsWith("search-pii")).count(),
        "the manager's two searches by the whole number; the agent's found nothing");

    for (String one : List.of("카", "a", " 가 ")) {
      JsonNode refused = http.expect(422, "GET", "/api/tenants/" + s.tenant() + "/conversations?q="
          + URLEncoder.encode(one, StandardCharsets.UTF_8), manager, null);
      assertEquals("invalid_field", refused.path("error").path("code").asText(), one);
      assertEquals("field 'q' must be at least 2 characters", refused.path("error").path("message").asText());
    }

    server.awaitSearchIndex();
    JsonNode first = http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?q=%ED%99%95%EC%9D%B8"
        + "&limit=1", manager, null);
    assertEquals(refund, first.path("conversations").get(0).path("id").asLong());
    assertEquals("홍*동", first.path("conversations").get(0).path("customer").path("name").asText());
    JsonNode second = http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?q=%ED%99%95%EC%9D%B8"
        + "&limit=1&cursor=" + first.path("nextCursor").asText(), manager, null);
    assertEquals(lost, second.path("conversations").get(0).path("id").asLong(), "pages follow the index's order");
    assertTrue(second.path("nextCursor").isNull());
    assertEquals(422, http.send("GET", "/api/tenants/" + s.tenant() + "/conversations?q=" + "가".repeat(101), manager,
        null).status());
  }

  @Test
  void erasedConversationsLeaveTheResultsAndTheIndex() throws Exception {
    TestServer.Setup s = server.setUp();
    long erased = chat(server, s, "해지 요청합니다");
    long expired = chat(server, s, "해지 문의");
    long kept = chat(server, s, "해지 상담");
    assertEquals(List.of(kept, expired, erased), found(server, s.tenant(), s.adminToken(), "해지"));

    long customer = number("SELECT customer_id FROM conversation WHERE id = ?", erased);
    server.http().expect(200, "POST", "/api/tenants/" + s.tenant() + "/customers/" + customer + "/erasure",
        s.adminToken(), of("reason", "정보주체 삭제 요청"));
    assertEquals(List.of(kept, expired), found(server, s.tenant(), s.adminToken(), "해지"));
    assertEquals(0, indexed(server.searchIndexDir(), erased), "erased from the index's files");
    assertEquals(2, indexed(server.searchIndexDir(), kept), "the commit holds what stays: its two messages");

    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/retention", s.adminToken(), of("days", 30));
    update("UPDATE conversation SET created_at = created_at - INTERVAL 40 DAY, queued_at = queued_at - INTERVAL 40 DAY, "
        + "assigned_at = assigned_at - INTERVAL 40 DAY, closed_at = closed_at - INTERVAL 40 DAY WHERE id = ?", expired);
    server.retentionJob().run();
    assertEquals(List.of(kept), found(server, s.tenant(), s.adminToken(), "해지"));
    assertEquals(0, indexed(server.searchIndexDir(), expired), "retention's erasure leaves the index too");
    assertEquals(2, indexed(server.searchIndexDir(), kept));
  }

  /**
   * 250 copies of a chat, started three at a time a minute apart, all hold the word: pages of 7 give every
   * conversation once, in the database's order (newest first, then id). Filtered by agent, only the chat and the 14
   * oldest copies are left, beyond the first chunk of 200 candidates: the search reads on in the index to fill pages.
   */
  @Test
  void pagesOfManyConversationsComeInOrderEachOnce() throws Exception {
    TestServer.Setup s = server.setUp();
    long chat = chat(server, s, "카드 분실 신고합니다");
    long tenant = number("SELECT tenant_id FROM conversation WHERE id = ?", chat);
    try (Connection c = connect()) {
      String conversationColumns = columns(c, "conversation", "id", "created_at", "agent_id");
      String messageColumns = columns(c, "message", "id", "conversation_id", "cmid");
      for (int i = 0; i < 250; i++) {
        try (PreparedStatement copy = c.prepareStatement("INSERT INTO conversation (" + conversationColumns
            + ", created_at, agent_id) SELECT " + conversationColumns + ", created_at - INTERVAL ? MINUTE, "
            + "IF(?, agent_id, NULL) FROM conversation WHERE id = ?", Statement.RETURN_GENERATED_KEYS)) {
          copy.setInt(1, 1 + i / 3);
          copy.setBoolean(2, i >= 210 && i % 3 == 0);
          copy.setLong(3, chat);
          copy.executeUpdate();
          try (var keys = copy.getGeneratedKeys(); PreparedStatement messages = c.prepareStatement(
              "INSERT INTO message (" + messageColumns + ", conversation_id) SELECT " + messageColumns
                  + ", ? FROM message WHERE conversation_id = ?")) {
            keys.next();
            messages.setLong(1, keys.getLong(1));
            messages.setLong(2, chat);
            messages.executeUpdate();
          }
        }
      }
    }
    String order = " ORDER BY created_at DESC, id DESC";
    assertEquals(ids("SELECT id FROM conversation WHERE tenant_id = ?" + order, tenant),
        pages(s, "q=" + URLEncoder.encode("분실", StandardCharsets.UTF_8)));
    List<Long> carried = ids("SELECT id FROM conversation WHERE tenant_id = ? AND agent_id IS NOT NULL" + order,
        tenant);
    assertEquals(15, carried.size());
    assertEquals(carried, pages(s, "agent=" + s.agentUsername() + "&q=" + URLEncoder.encode("분실",
        StandardCharsets.UTF_8)));
  }

  /** Every page of 7 of the tenant's search, cursor after cursor. */
  private static List<Long> pages(TestServer.Setup s, String query) {
    server.awaitSearchIndex();
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 100; page++) {
      JsonNode found = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?limit=7&"
          + query + (cursor == null ? "" : "&cursor=" + cursor), s.adminToken(), null);
      found.path("conversations").forEach(c -> ids.add(c.path("id").asLong()));
      if (found.path("nextCursor").isMissingNode() || found.path("nextCursor").isNull()) {
        return ids;
      }
      cursor = found.path("nextCursor").asText();
    }
    throw new AssertionError("more than 100 pages");
  }

  /** The table's columns but {@code except}, as a list for INSERT ... SELECT (generated ones are not written). */
  private static String columns(Connection c, String table, String... except) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
        + "WHERE table_schema = DATABASE() AND table_name = ? AND extra NOT LIKE '%GENERATED%' ORDER BY ordinal_position")) {
      ps.setString(1, table);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!List.of(except).contains(rs.getString(1))) {
            columns.add(rs.getString(1));
          }
        }
      }
    }
    return String.join(", ", columns);
  }

  private static List<Long> ids(String sql, Object param) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** The tenant's access records as {@code action: object}, oldest first. */
  private static List<String> accessRecords(String tenant) {
    List<String> records = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT l.action, l.object FROM "
        + "access_log l JOIN tenant t ON t.id = l.tenant_id WHERE t.code = ? ORDER BY l.id")) {
      ps.setString(1, tenant);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          records.add(rs.getString(1) + ": " + rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return records;
  }

  private static long tenantId(TestServer.Setup s) {
    try {
      return number("SELECT id FROM tenant WHERE code = ?", s.tenant());
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static long number(String sql, Object param) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void update(String sql, Object param) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      ps.executeUpdate();
    }
  }

  private static Connection connect() throws SQLException {
    TestDatabase.Url url = server.database();
    return DriverManager.getConnection(url.url(), url.user(), url.password());
  }
}
