package io.sangdam.search;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Conversation search and transcripts: by scope, masked, unmasked one item at a time with an audit entry. */
class SearchIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static TestServer.Setup s;
  private static String manager;
  private static long card;
  private static long refund;

  @BeforeAll
  static void twoChats() {
    s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    manager = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      card = chat(agent, "홍길동", "010-1234-5678", "제 카드 4111-1111-1111-1111 분실했어요. 연락처 010-9876-5432");
      agent.send(of("type", "note", "conversation", card, "cmid", "n1", "text", "카드 정지 요청")).until("ack");
      agent.send(of("type", "close", "conversation", card, "tags", List.of("분실"))).until("closed");
      refund = chat(agent, "김철수", null, "환불 문의드립니다");
      agent.send(of("type", "close", "conversation", refund)).until("closed");
    }
  }

  private static long chat(WsClient agent, String name, String contact, String text) {
    try (WsClient customer = server.customer()) {
      customer.send(contact == null ? of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", name)
          : of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", name, "contact", contact))
          .next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", text)).next("started")
          .path("conversation").path("id").asLong();
      agent.next("assigned");
      agent.send(of("type", "send", "conversation", id, "cmid", "r" + id, "text", "확인했습니다")).until("ack");
      return id;
    }
  }

  private static JsonNode search(String token, String query) {
    server.awaitSearchIndex();
    return server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations" + query, token, null);
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("conversations").forEach(c -> ids.add(c.path("id").asLong()));
    return ids;
  }

  @Test
  void filtersFindTheRightChatsNewestFirstPageByPage() {
    assertEquals(List.of(refund, card), ids(search(manager, "")));
    assertEquals(List.of(refund), ids(search(manager, "?q=환불")));
    assertEquals(List.of(card), ids(search(manager, "?customer=길동")));
    assertEquals(List.of(card), ids(search(manager, "?customer=01012345678")), "by contact, given whole");
    assertEquals(List.of(), ids(search(manager, "?customer=5678")), "a contact is sealed: no part of it is found");
    assertEquals(List.of(refund, card), ids(search(manager, "?state=closed&agent=kim&center=seoul&queue=card")));
    assertEquals(List.of(), ids(search(manager, "?state=WAITING")));
    assertEquals(List.of(), ids(search(manager, "?q=100%25")), "a % in the text is taken literally");
    assertEquals(List.of(), ids(search(manager, "?from=2000-01-01&to=2000-01-31")));

    JsonNode first = search(manager, "?limit=1");
    assertEquals(List.of(refund), ids(first));
    JsonNode second = search(manager, "?limit=1&cursor=" + first.path("nextCursor").asText());
    assertEquals(List.of(card), ids(second));
    assertTrue(second.path("nextCursor").isNull(), "the last page says so");

    JsonNode found = search(manager, "?customer=길동").path("conversations").get(0);
    assertEquals("홍*동", found.path("customer").path("name").asText());
    assertEquals("010-****-5678", found.path("customer").path("contact").asText());
    assertEquals("kim", found.path("agent").path("username").asText());
    assertEquals("CLOSED", found.path("state").asText());
  }

  @Test
  void theTranscriptIsMaskedAndOneItemIsUnmaskedOnTheRecord() throws SQLException {
    Http http = server.http();
    JsonNode t = http.expect(200, "GET", "/api/conversations/" + card, manager, null);
    assertEquals("제 카드 4111-****-****-1111 분실했어요. 연락처 010-****-5432",
        t.path("messages").get(0).path("text").asText());
    assertEquals("홍*동", t.path("messages").get(0).path("name").asText());
    assertEquals("확인했습니다", t.path("messages").get(1).path("text").asText());
    assertEquals("카드 정지 요청", t.path("notes").get(0).path("text").asText());
    assertEquals("분실", t.path("tags").get(0).asText());

    assertEquals("4111-1111-1111-1111", http.expect(200, "POST", "/api/conversations/" + card + "/unmask", manager,
        of("seq", 1, "item", 0)).path("value").asText());
    assertEquals("010-9876-5432", http.expect(200, "POST", "/api/conversations/" + card + "/unmask", manager,
        of("seq", 1, "item", 1)).path("value").asText());
    assertEquals("010-1234-5678", http.expect(200, "POST", "/api/conversations/" + card + "/unmask", s.adminToken(),
        of("field", "customerContact")).path("value").asText());
    assertEquals(3, audited("pii.unmask", card), "each unmask is on the record");

    assertEquals(403, http.send("POST", "/api/conversations/" + card + "/unmask", s.agentToken(),
        of("seq", 1, "item", 0)).status(), "agents may not unmask");
    assertEquals(404, http.send("POST", "/api/conversations/" + card + "/unmask", manager, of("seq", 1, "item", 2))
        .status(), "there is no third item");
    assertEquals(404, http.send("POST", "/api/conversations/" + card + "/unmask", manager, of("seq", 99, "item", 0))
        .status());
    assertEquals(422, http.send("POST", "/api/conversations/" + card + "/unmask", manager, of("field", "address"))
        .status());
    assertEquals(3, audited("pii.unmask", card), "refused unmasks reveal and record nothing");
  }

  @Test
  void eachRoleSeesOnlyItsScope() {
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lee",
        "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul"));
    String lee = http.login(s.tenant(), "lee", "agent-pass-2");
    assertEquals(List.of(refund, card), ids(search(s.agentToken(), "")), "an agent sees the chats they carried");
    assertEquals(List.of(), ids(search(lee, "")), "and not the others'");
    assertEquals(404, http.send("GET", "/api/conversations/" + card, lee, null).status());
    assertEquals(200, http.send("GET", "/api/conversations/" + card, s.agentToken(), null).status());

    TestServer.Setup other = server.setUp();
    assertEquals(404, http.send("GET", "/api/tenants/" + s.tenant() + "/conversations", other.agentToken(), null)
        .status());
    assertEquals(404, http.send("GET", "/api/conversations/" + card, other.agentToken(), null).status());
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "남의 관리자", "role", "TENANT_ADMIN"));
    String otherAdmin = http.login(other.tenant(), "chief", TestServer.STAFF_PASSWORD);
    assertEquals(404, http.send("GET", "/api/conversations/" + card, otherAdmin, null).status());
    assertEquals(404, http.send("POST", "/api/conversations/" + card + "/unmask", otherAdmin,
        of("field", "customerName")).status());
    assertEquals(200, http.send("GET", "/api/conversations/" + card, s.adminToken(), null).status(), "HQ");
  }

  @Test
  void badFiltersAreRefusedClearly() {
    Http http = server.http();
    String base = "/api/tenants/" + s.tenant() + "/conversations";
    assertEquals("field 'state' must be one of [ABANDONED, ASSIGNED, BOT, CLOSED, HOLD, WAITING]",
        http.send("GET", base + "?state=lost", manager, null).body().path("error").path("message").asText());
    assertEquals(422, http.send("GET", base + "?limit=0", manager, null).status());
    assertEquals(422, http.send("GET", base + "?limit=201", manager, null).status());
    assertEquals(422, http.send("GET", base + "?cursor=not-a-cursor", manager, null).status());
    assertEquals(422, http.send("GET", base + "?queue=card", manager, null).status(), "a queue needs its center");
    assertEquals(422, http.send("GET", base + "?from=yesterday", manager, null).status());
    assertEquals(422, http.send("GET", base + "?q=" + "가".repeat(101), manager, null).status());
    assertEquals(404, http.send("GET", base + "?agent=nobody", manager, null).status());
    assertEquals(404, http.send("GET", "/api/conversations/abc", manager, null).status());
  }

  private static int audited(String action, long conversation) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        var ps = c.prepareStatement("SELECT COUNT(*) FROM audit_log WHERE action = ? AND target = ?")) {
      ps.setString(1, action);
      ps.setString(2, "conversation " + conversation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
