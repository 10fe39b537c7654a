package io.sangdam.accesslog;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each read of personal data by staff, done for real, and the access record it leaves: who, from where, whose data,
 * what, and for a download or export why. The assigned agent's own live chat leaves none.
 */
class AccessRecordsIT {
  /** The test's requests come from 127.0.0.1, a trusted proxy here: an X-Forwarded-For it adds is believed. */
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.trustedProxies", "127.0.0.1");

  private static TestServer.Setup s;
  private static String boss;
  private static String otherAdmin;

  @BeforeAll
  static void staff() {
    s = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    boss = http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    TestServer.Setup other = server.setUp();
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "남의 관리자", "role", "TENANT_ADMIN"));
    otherAdmin = http.login(other.tenant(), "chief", TestServer.STAFF_PASSWORD);
  }

  /** The tenant's records matching {@code filter} (a query string), newest first, as HQ reads them. */
  private static List<JsonNode> records(String filter) {
    JsonNode page = server.http().expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + "&limit=200" + filter,
        s.adminToken(), null);
    List<JsonNode> out = new ArrayList<>();
    page.path("records").forEach(out::add);
    return out;
  }

  private static JsonNode latest(String staff, String action) {
    List<JsonNode> found = records("&staff=" + staff + "&action=" + action);
    assertFalse(found.isEmpty(), "no " + action + " by " + staff);
    return found.get(0);
  }

  private static void assertRecord(JsonNode r, String action, String object, long customer, String address) {
    assertEquals(action, r.path("action").asText(), r.toString());
    assertEquals(object, r.path("object").asText(), r.toString());
    assertEquals(List.of(customer), subjects(r), r.toString());
    assertEquals(address, r.path("address").asText(), r.toString());
    assertEquals("seoul", r.path("center").asText(), r.toString());
  }

  private static List<Long> subjects(JsonNode r) {
    List<Long> ids = new ArrayList<>();
    r.path("subjects").forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void eachReadByStaffIsRecordedAndTheAgentsOwnLiveChatIsNot() {
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer(); WsClient supervisor = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동",
          "contact", "010-1234-5678")).next("welcome").path("visitor").asText();
      long chat = customer.send(of("type", "start", "queue", "card", "text", "카드 분실")).next("started")
          .path("conversation").path("id").asLong();
      agent.next("assigned");
      String file = http.send("POST", "/api/conversations/" + chat + "/attachments?name=memo.txt", visitor,
          "text/plain", "계좌 123-456".getBytes(StandardCharsets.UTF_8)).body().path("attachment").path("url").asText();
      agent.until("message");

      // The agent's own live chat: the file, the customer's panel, a history with nothing earlier.
      assertEquals(200, http.download(file, s.agentToken()).status());
      http.expect(200, "GET", "/api/conversations/" + chat + "/customer", s.agentToken(), null);
      agent.send(of("type", "history", "rid", "h1", "conversation", chat)).until("history");
      assertEquals(List.of(), records("&staff=kim"), "the assigned agent's own live chat is not recorded");

      // The manager's reads, the first through the proxy.
      Http.Response transcript = http.sendSigned("GET", "/api/conversations/" + chat,
          Map.of("Authorization", "Bearer " + boss, "X-Forwarded-For", "198.51.100.23"), new byte[0]);
      assertEquals(200, transcript.status(), transcript.body()::toString);
      long customerId = transcript.body().path("customer").path("id").asLong();
      assertRecord(latest("boss", "transcript"), "transcript", "conversation " + chat, customerId, "198.51.100.23");

      JsonNode page = http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?customer=" + encoded("길동"),
          boss, null);
      assertEquals(chat, page.path("conversations").get(0).path("id").asLong());
      JsonNode search = latest("boss", "search");
      assertTrue(search.path("object").asText().startsWith("conversations of tenant "), search.toString());
      assertEquals(List.of(customerId), subjects(search), "a page names each customer on it");
      assertEquals("127.0.0.1", search.path("address").asText());

      assertEquals("010-1234-5678", http.expect(200, "POST", "/api/conversations/" + chat + "/unmask", boss,
          of("field", "customerContact")).path("value").asText());
      assertRecord(latest("boss", "unmask"), "unmask", "conversation " + chat + ": customer contact", customerId,
          "127.0.0.1");

      http.expect(200, "GET", "/api/conversations/" + chat + "/customer", boss, null);
      assertRecord(latest("boss", "profile"), "profile", "customer " + customerId + " of conversation " + chat,
          customerId, "127.0.0.1");
      assertEquals(404, http.send("GET", "/api/conversations/" + chat + "/pre-chat", boss, null).status(),
          "no form was asked here");
      assertEquals(List.of(), records("&staff=boss&action=pre-chat"), "nothing shown, nothing recorded");

      Http.Download noReason = http.download(file, boss);
      assertEquals(422, noReason.status());
      assertEquals("reason", noReason.json().path("error").path("field").asText(), noReason.json().toString());
      assertEquals(List.of(), records("&staff=boss&action=download"), "a refused download reads and records nothing");
      Http.Download withReason = http.download(file + "?reason=" + encoded("민원 2026-118 확인"), boss);
      assertEquals(200, withReason.status());
      JsonNode download = latest("boss", "download");
      assertRecord(download, "download", "attachment " + file.substring(file.lastIndexOf('/') + 1)
          + " of conversation " + chat, customerId, "127.0.0.1");
      assertEquals("민원 2026-118 확인", download.path("reason").asText());

      supervisor.send(of("type", "hello", "token", boss)).next("welcome");
      supervisor.send(of("type", "watch", "rid", "w1", "conversation", chat)).until("watching");
      assertRecord(latest("boss", "watch"), "watch", "conversation " + chat, customerId, "127.0.0.1");

      String exportPath = "/api/tenants/" + s.tenant() + "/conversations?format=csv";
      Http.Download refused = http.download(exportPath, boss);
      assertEquals(422, refused.status());
      assertEquals("reason", refused.json().path("error").path("field").asText());
      Http.Download csv = http.download(exportPath + "&reason=" + encoded("분기 점검"), boss);
      assertEquals(200, csv.status());
      String text = new String(csv.body(), StandardCharsets.UTF_8);
      assertTrue(text.contains("홍*동") && text.contains("010-****-5678") && !text.contains("홍길동"),
          "masked as on screen: " + text);
      JsonNode export = latest("boss", "export");
      assertEquals("분기 점검", export.path("reason").asText());
      assertTrue(subjects(export).contains(customerId), export.toString());

      // An earlier conversation of the customer the agent now serves: more than the live chat.
      agent.send(of("type", "close", "conversation", chat)).until("closed");
      try (WsClient again = server.customer()) {
        again.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor)).next("welcome");
        long second = again.send(of("type", "start", "queue", "card", "text", "다시 문의")).next("started")
            .path("conversation").path("id").asLong();
        agent.until("assigned");
        JsonNode history = agent.send(of("type", "history", "rid", "h2", "conversation", second)).until("history");
        assertEquals(chat, history.path("earlier").get(0).path("conversation").path("id").asLong());
        JsonNode read = latest("kim", "history");
        assertEquals("customer " + customerId + " of conversation " + second, read.path("object").asText());
        assertEquals(List.of(customerId), subjects(read));
        assertEquals(1, records("&staff=kim").size(), "only the history: the live chat itself is not recorded");
        agent.send(of("type", "close", "conversation", second)).until("closed");
      }
    }
    List<JsonNode> ofCustomer = records("&subject=" + records("&staff=boss&action=transcript").get(0)
        .path("subjects").get(0).asLong());
    assertTrue(ofCustomer.size() >= 8, "every read of the customer's data is found by the customer: " + ofCustomer);
  }

  @Test
  void aReadWhoseRecordCannotBeWrittenFailsAndShowsNothing() throws SQLException {
    Http http = server.http();
    long chat;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      chat = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", chat)).until("closed");
    }
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("RENAME TABLE access_log TO access_log_away");
      try {
        Http.Response refused = http.send("GET", "/api/conversations/" + chat, boss, null);
        assertNotEquals(200, refused.status(), refused.body()::toString);
        assertTrue(refused.body().path("messages").isMissingNode(), "nothing of the transcript: "
            + refused.body());
      } finally {
        st.execute("RENAME TABLE access_log_away TO access_log");
      }
      try (ResultSet rs = st.executeQuery("SELECT last_id, (SELECT MAX(id) FROM access_log) FROM access_log_chain")) {
        rs.next();
        assertEquals(rs.getLong(2), rs.getLong(1), "the failed append moved nothing");
      }
    }
    assertEquals(200, http.send("GET", "/api/conversations/" + chat, boss, null).status(), "and works again");
  }

  @Test
  void theRecordsAreListedExportedWithAReasonAndTheExportIsRecorded() {
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long chat = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", chat)).until("closed");
      http.expect(200, "GET", "/api/conversations/" + chat, boss, null);
    }
    String base = "/api/access-log/export?tenant=" + s.tenant() + "&from=2000-01-01&to=2099-12-31";
    assertEquals("reason", http.download(base.replace("2099-12-31", "2000-12-31"), s.adminToken()).json()
        .path("error").path("field").asText(), "no reason, no file");
    Http.Download month = http.download("/api/access-log/export?tenant=" + s.tenant()
        + "&from=2026-01-01&to=2026-01-31&reason=" + encoded("감사 대응"), s.adminToken());
    assertEquals(200, month.status(), "a period of a month");
    Http.Download tooLong = http.download(base + "&reason=x", s.adminToken());
    assertEquals(422, tooLong.status(), "more than a year at once");
    String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Seoul")).toString();
    Http.Download csv = http.download("/api/access-log/export?tenant=" + s.tenant() + "&from=" + today + "&to="
        + today + "&reason=" + encoded("감사 대응"), s.adminToken());
    assertEquals(200, csv.status(), () -> new String(csv.body(), StandardCharsets.UTF_8));
    assertTrue(csv.header("Content-Disposition").contains("sangdam-access-log-" + s.tenant()));
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\uFEFF번호,시각,계열사,센터,직원,접속지,행위,대상,고객 번호,사유\r\n"), text);
    assertTrue(text.contains("\"boss\"") && text.contains("\"transcript\""), text);
    JsonNode exported = latest("admin", "access-log.export");
    assertEquals("감사 대응", exported.path("reason").asText());
    assertEquals(List.of(), subjects(exported));

    JsonNode firstPage = http.expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + "&limit=1", s.adminToken(),
        null);
    assertEquals(1, firstPage.path("records").size());
    JsonNode second = http.expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + "&limit=1&cursor="
        + firstPage.path("nextCursor").asText(), s.adminToken(), null);
    assertTrue(second.path("records").get(0).path("id").asLong() < firstPage.path("records").get(0).path("id").asLong());
    assertEquals(List.of(), records("&from=2000-01-01&to=2000-01-31"), "by period");
  }

  @Test
  void badAndOutOfScopeAsksAreRefusedClearly() {
    Http http = server.http();
    String list = "/api/access-log?tenant=" + s.tenant();
    assertEquals("field 'action' must be one of [access-log.export, download, export, history, link-proposals, "
        + "pre-chat, preview, profile, search, search-pii, transcript, unmask, watch]", http.send("GET", list + "&action=peek", s.adminToken(), null).body()
        .path("error").path("message").asText());
    assertEquals(422, http.send("GET", list + "&subject=abc", s.adminToken(), null).status());
    assertEquals(422, http.send("GET", list + "&limit=0", s.adminToken(), null).status());
    assertEquals(422, http.send("GET", list + "&cursor=x", s.adminToken(), null).status());
    assertEquals(422, http.send("GET", list + "&from=yesterday", s.adminToken(), null).status());
    assertEquals(422, http.send("GET", list + "&staff=" + "k".repeat(101), s.adminToken(), null).status());
    assertEquals("month", http.send("GET", "/api/access-log/report?tenant=" + s.tenant() + "&month=2026-13",
        s.adminToken(), null).body().path("error").path("field").asText());
    assertEquals("month", http.send("GET", "/api/access-log/report", s.adminToken(), null).body().path("error")
        .path("field").asText());
    String export = "/api/access-log/export?tenant=" + s.tenant() + "&from=2026-01-01&to=2026-01-02&reason=";
    assertEquals(422, http.download(export + "x".repeat(201), s.adminToken()).status(), "a reason of 201 characters");
    assertEquals(422, http.download(export + "one%0Aline", s.adminToken()).status(), "a reason of two lines");
    assertEquals(422, http.download(export + "%20%20", s.adminToken()).status(), "a blank reason");
    assertEquals(200, http.download(export + "x".repeat(200), s.adminToken()).status(), "200 characters are enough");
    assertEquals(422, http.download("/api/access-log/export?tenant=" + s.tenant() + "&to=2026-01-02&reason=x",
        s.adminToken()).status(), "no from");

    assertEquals(403, http.send("GET", list, boss, null).status(), "a center manager does not review");
    assertEquals(403, http.send("GET", list, s.agentToken(), null).status());
    assertEquals(404, http.send("GET", list, otherAdmin, null).status(), "another tenant's admin");
    assertEquals(404, http.download("/api/access-log/export?tenant=" + s.tenant()
        + "&from=2026-01-01&to=2026-01-02&reason=x", otherAdmin).status());
    assertEquals(404, http.send("GET", "/api/access-log/report?month=2026-01&tenant=" + s.tenant(), otherAdmin, null)
        .status());
    JsonNode own = http.expect(200, "GET", "/api/access-log", otherAdmin, null);
    own.path("records").forEach(r -> assertNotEquals(s.tenant(), r.path("tenant").asText(),
        "a tenant admin's list is their tenant's only"));
    assertEquals(401, http.send("GET", list, null, null).status());
  }
}
