package io.sangdam.channel;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.chat.LiveConversations;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAccessLog;
import io.sangdam.store.JdbcAuditLog;
import io.sangdam.store.JdbcChannelStore;
import io.sangdam.store.JdbcChatStore;
import io.sangdam.store.JdbcLinkProposalStore;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proposals to link a channel's customer: the agent carrying a KakaoTalk-like conversation proposes that its
 * customer is the company's member; a tenant admin accepts (the customer is linked, and the agent's history
 * shows the member's widget conversations) or rejects. Proposing and deciding are audited; only those who
 * may act on the conversation propose, only HQ and the tenant's admins decide; bad input is refused and
 * leaves nothing behind.
 */
class LinkProposalsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String proposalsOf(long conversation) {
    return "/api/conversations/" + conversation + "/customer-link-proposals";
  }

  private static String proposals(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/customers/link-proposals";
  }

  private static String channel(TestServer.Setup s) {
    return server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
  }

  private static long inbound(TestServer.Setup s, String secret, String user, String mid) {
    byte[] bytes = of("user", user, "name", "채널고객", "mid", mid, "text", "카톡 문의 " + mid).toString()
        .getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  private static String user(TestServer.Setup s, String username, String role, String center) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center",
            center, "queues", List.of()));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static WsClient online(TestServer.Setup s) {
    WsClient agent = server.agent().ignoring("presence");
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return agent;
  }

  /** The conversations {@code history} shows before {@code conversation}, as "channel:id". */
  private static TreeSet<String> history(WsClient agent, long conversation) {
    JsonNode h = agent.send(of("type", "history", "rid", "h" + conversation, "conversation", conversation))
        .until("history");
    TreeSet<String> earlier = new TreeSet<>();
    for (JsonNode past : h.path("earlier")) {
      earlier.add(past.path("conversation").path("channel").asText() + ":" + past.path("conversation").path("id")
          .asLong());
    }
    return earlier;
  }

  private static void close(WsClient agent, long id) {
    agent.send(of("type", "close", "conversation", id));
    assertEquals(id, agent.until("closed").path("conversation").asLong());
  }

  private static List<Long> ids(JsonNode list) {
    List<Long> out = new ArrayList<>();
    list.forEach(p -> out.add(p.path("id").asLong()));
    return out;
  }

  @Test
  void theAgentProposesTheAdminAcceptsAndHistoryShowsBoth() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String identitySecret = http.expect(200, "POST", "/api/tenants/" + s.tenant() + "/identity-secret",
        s.adminToken(), null).path("secret").asText();
    String secret = channel(s);
    String admin = user(s, "boss", "TENANT_ADMIN", null);
    try (WsClient agent = online(s)) {
      long web;
      try (WsClient customer = server.customer()) {
        customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동", "externalId",
            "member-77", "signature", HexFormat.of().formatHex(Visitors.hmac(identitySecret, "member-77"))))
            .next("welcome");
        web = customer.send(of("type", "start", "queue", "card", "text", "웹 문의")).next("started")
            .path("conversation").path("id").asLong();
        assertEquals(web, agent.until("assigned").path("conversation").path("id").asLong());
        close(agent, web);
      }
      long kakao = inbound(s, secret, "kakao-9", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
      assertEquals(new TreeSet<>(), history(agent, kakao), "not linked: a stranger");

      JsonNode proposed = http.expect(201, "POST", proposalsOf(kakao), s.agentToken(),
          of("externalId", "member-77", "note", "본인확인: 생년월일+휴대폰 뒷자리"));
      long id = proposed.path("id").asLong();
      assertEquals("PENDING", proposed.path("status").asText());
      assertEquals("app", proposed.path("channel").asText());
      assertEquals(kakao, proposed.path("conversation").asLong());
      assertEquals("member-77", proposed.path("externalId").asText(), "the agent's own live chat: in full");
      assertEquals("본인확인: 생년월일+휴대폰 뒷자리", proposed.path("note").asText());
      assertEquals("kim", proposed.path("proposedBy").path("username").asText());
      assertEquals("USER", proposed.path("proposedBy").path("kind").asText());
      assertTrue(proposed.path("decidedBy").isNull(), proposed.toString());
      assertEquals(id, http.expect(200, "POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-77"))
          .path("id").asLong(), "proposed again: the same pending proposal, 200");
      assertEquals(List.of(id), ids(http.expect(200, "GET", proposalsOf(kakao), s.agentToken(), null)));
      assertEquals(new TreeSet<>(), history(agent, kakao), "a proposal links nothing yet");

      assertEquals(List.of(id), ids(http.expect(200, "GET", proposals(s), admin, null)), "pending by default");
      assertEquals(List.of(id), ids(http.expect(200, "GET", proposals(s) + "?status=PENDING", s.adminToken(), null)),
          "HQ sees them too");
      assertEquals(List.of(), ids(http.expect(200, "GET", proposals(s) + "?status=accepted", admin, null)));

      JsonNode accepted = http.expect(200, "POST", proposals(s) + "/" + id + "/accept", admin, null);
      assertEquals("ACCEPTED", accepted.path("status").asText());
      assertEquals("boss", accepted.path("decidedBy").path("username").asText());
      assertTrue(accepted.path("decidedAt").isTextual(), accepted.toString());

      assertEquals(new TreeSet<>(List.of("web:" + web)), history(agent, kakao),
          "accepted: the channel customer's history shows the member's widget conversation");
      assertEquals("member-77", agent.send(of("type", "history", "rid", "p", "conversation", kakao))
          .until("history").path("customer").path("externalId").asText());
      assertEquals("ACCEPTED", http.expect(200, "GET", proposalsOf(kakao), s.agentToken(), null).path(0)
          .path("status").asText(), "the agent sees the proposal accepted");

      Http.Response twice = http.send("POST", proposals(s) + "/" + id + "/accept", admin, null);
      assertEquals(409, twice.status(), twice.body().toString());
      assertTrue(twice.body().path("error").path("message").asText().contains("already accepted"), twice.body()
          .toString());
      assertEquals(409, http.send("POST", proposals(s) + "/" + id + "/reject", admin, of("reason", "늦게")).status());
      Http.Response linked = http.send("POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-77"));
      assertEquals(409, linked.status(), "the customer is linked to it already: " + linked.body());
      assertEquals(List.of(id), ids(http.expect(200, "GET", proposals(s) + "?status=accepted", admin, null)));
      assertEquals(List.of(), ids(http.expect(200, "GET", proposals(s), admin, null)));
      close(agent, kakao);
    }

    String proposeAudit = http.expect(200, "GET", "/api/audit?action=customer.link.propose&tenant=" + s.tenant(),
        s.adminToken(), null).path("entries").toString();
    assertTrue(proposeAudit.contains("\"kim\"") && proposeAudit.contains("m*******7"),
        "the proposal is audited once, by its agent: " + proposeAudit);
    assertFalse(proposeAudit.contains("member-77"), "the external id masked: " + proposeAudit);
    assertEquals(1, http.expect(200, "GET", "/api/audit?action=customer.link.propose&tenant=" + s.tenant(),
        s.adminToken(), null).path("entries").size(), "the repeat wrote nothing");
    String acceptAudit = http.expect(200, "GET", "/api/audit?action=manage.post&actor=boss&tenant=" + s.tenant(),
        s.adminToken(), null).path("entries").toString();
    assertTrue(acceptAudit.contains("POST /api/tenants/{tenant}/customers/link-proposals/{proposal}/accept")
        && acceptAudit.contains("ACCEPTED"), "so is the acceptance: " + acceptAudit);
  }

  @Test
  void aCustomerLinkedMeanwhileIsNotRelinkedByAnOldProposalWhichIsThenRejected() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String secret = channel(s);
    String admin = user(s, "boss", "TENANT_ADMIN", null);
    try (WsClient agent = online(s)) {
      long kakao = inbound(s, secret, "kakao-5", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
      long first = http.expect(201, "POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-1"))
          .path("id").asLong();
      long second = http.expect(201, "POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-2"))
          .path("id").asLong();
      assertEquals(List.of(second, first), ids(http.expect(200, "GET", proposals(s), admin, null)), "newest first");
      assertEquals(List.of(second), ids(http.expect(200, "GET", proposals(s) + "?limit=1", admin, null)));
      assertEquals(List.of(first), ids(http.expect(200, "GET", proposals(s) + "?limit=1&offset=1", admin, null)));

      http.expect(200, "POST", "/api/tenants/" + s.tenant() + "/customers/links", admin,
          of("channel", "app", "user", "kakao-5", "externalId", "member-3"));
      Http.Response stale = http.send("POST", proposals(s) + "/" + first + "/accept", admin, null);
      assertEquals(409, stale.status(), stale.body().toString());
      assertTrue(stale.body().path("error").path("message").asText().contains("linked to 'member-3'"),
          stale.body().toString());
      assertEquals("member-3", agent.send(of("type", "history", "rid", "p", "conversation", kakao)).until("history")
          .path("customer").path("externalId").asText(), "the link made meanwhile stands");

      JsonNode rejected = http.expect(200, "POST", proposals(s) + "/" + first + "/reject", admin,
          of("reason", "다른 회원으로 연결됨"));
      assertEquals("REJECTED", rejected.path("status").asText());
      assertEquals("다른 회원으로 연결됨", rejected.path("reason").asText());
      assertEquals(409, http.send("POST", proposals(s) + "/" + first + "/reject", admin, of("reason", "again"))
          .status(), "rejected twice");
      assertEquals(409, http.send("POST", proposals(s) + "/" + first + "/accept", admin, null).status(),
          "accepted after its rejection");
      assertEquals(List.of(first), ids(http.expect(200, "GET", proposals(s) + "?status=rejected", admin, null)));

      // A proposal made against the new link may replace it.
      long third = http.expect(201, "POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-4"))
          .path("id").asLong();
      assertEquals("member-3", http.expect(200, "POST", proposals(s) + "/" + third + "/accept", admin, null)
          .path("linkedBefore").asText());
      assertEquals("member-4", agent.send(of("type", "history", "rid", "q", "conversation", kakao)).until("history")
          .path("customer").path("externalId").asText());
      String rejectAudit = http.expect(200, "GET", "/api/audit?action=manage.post&actor=boss&tenant=" + s.tenant(),
          s.adminToken(), null).path("entries").toString();
      assertTrue(rejectAudit.contains("link-proposals/{proposal}/reject") && rejectAudit.contains("다른 회원으로 연결됨"),
          "the rejection is audited with its reason: " + rejectAudit);
      close(agent, kakao);
    }
  }

  @Test
  void onlyWhoMayActOnTheConversationProposesOnlyAdminsDecideAndBadInputIsRefused() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    String secret = channel(s);
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(), of("code", "busan",
        "name", "부산"));
    String colleague = user(s, "lee", "AGENT", "seoul");
    String busanAgent = user(s, "park", "AGENT", "busan");
    String manager = user(s, "chief", "CENTER_MANAGER", "seoul");
    String busanManager = user(s, "busanchief", "CENTER_MANAGER", "busan");
    String admin = user(s, "boss", "TENANT_ADMIN", null);
    String otherAdmin = user(other, "boss", "TENANT_ADMIN", null);
    try (WsClient agent = online(s); WsClient customer = server.customer()) {
      long kakao = inbound(s, secret, "kakao-1", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "웹고객")).next("welcome");
      long web = customer.send(of("type", "start", "queue", "card", "text", "웹 문의")).next("started")
          .path("conversation").path("id").asLong();
      assertEquals(web, agent.until("assigned").path("conversation").path("id").asLong());
      Object proposal = of("externalId", "member-1");

      List<String> problems = new ArrayList<>();
      expect(problems, "no token", http.send("POST", proposalsOf(kakao), null, proposal), 401, "");
      expect(problems, "an agent of the center who does not carry it", http.send("POST", proposalsOf(kakao),
          colleague, proposal), 404, "conversation");
      expect(problems, "an agent of another center", http.send("POST", proposalsOf(kakao), busanAgent, proposal),
          404, "conversation");
      expect(problems, "another center's manager", http.send("POST", proposalsOf(kakao), busanManager, proposal),
          404, "conversation");
      expect(problems, "another tenant's agent", http.send("POST", proposalsOf(kakao), other.agentToken(), proposal),
          404, "conversation");
      expect(problems, "another tenant's admin", http.send("POST", proposalsOf(kakao), otherAdmin, proposal),
          404, "conversation");
      expect(problems, "another tenant's agent reading", http.send("GET", proposalsOf(kakao), other.agentToken(),
          null), 404, "conversation");
      expect(problems, "a widget conversation", http.send("POST", proposalsOf(web), s.agentToken(), proposal), 409,
          "widget");
      expect(problems, "no such conversation", http.send("POST", proposalsOf(999_999_999), s.agentToken(), proposal),
          404, "conversation");
      expect(problems, "not a number", http.send("POST", "/api/conversations/x/customer-link-proposals",
          s.agentToken(), proposal), 404, "conversation");
      expect(problems, "externalId missing", http.send("POST", proposalsOf(kakao), s.agentToken(), of("note", "n")),
          422, "externalId");
      expect(problems, "externalId blank", http.send("POST", proposalsOf(kakao), s.agentToken(),
          of("externalId", "  ")), 422, "externalId");
      expect(problems, "externalId too long", http.send("POST", proposalsOf(kakao), s.agentToken(),
          of("externalId", "x".repeat(101))), 422, "externalId");
      expect(problems, "externalId a number", http.send("POST", proposalsOf(kakao), s.agentToken(),
          of("externalId", 7)), 422, "externalId");
      expect(problems, "note too long", http.send("POST", proposalsOf(kakao), s.agentToken(),
          of("externalId", "member-1", "note", "가".repeat(501))), 422, "note");
      expect(problems, "malformed JSON", http.send("POST", proposalsOf(kakao), s.agentToken(), "{\"externalId\":"),
          400, "");
      expect(problems, "an agent lists", http.send("GET", proposals(s), s.agentToken(), null), 403, "");
      expect(problems, "a center manager lists", http.send("GET", proposals(s), manager, null), 403, "");
      expect(problems, "another tenant's admin lists", http.send("GET", proposals(s), otherAdmin, null), 404,
          "tenant");
      expect(problems, "a status that is none", http.send("GET", proposals(s) + "?status=maybe", admin, null), 422,
          "status");
      expect(problems, "a limit out of range", http.send("GET", proposals(s) + "?limit=0", admin, null), 422,
          "limit");
      assertEquals(List.of(), problems, "refused as they should be");
      assertEquals(List.of(), ids(http.expect(200, "GET", proposalsOf(kakao), s.agentToken(), null)),
          "nothing refused was kept");
      assertEquals(List.of(), ids(http.expect(200, "GET", proposalsOf(web), s.agentToken(), null)),
          "a widget conversation has none");

      JsonNode byManager = http.expect(201, "POST", proposalsOf(kakao), manager, of("externalId", "member-1",
          "note", "  "));
      assertEquals("chief", byManager.path("proposedBy").path("username").asText(), "the center's manager proposes");
      assertTrue(byManager.path("note").isNull(), "a blank note is none: " + byManager);
      String accept = proposals(s) + "/" + byManager.path("id").asLong() + "/accept";
      String reject = proposals(s) + "/" + byManager.path("id").asLong() + "/reject";
      expect(problems, "an agent accepts", http.send("POST", accept, s.agentToken(), null), 403, "");
      expect(problems, "a center manager accepts", http.send("POST", accept, manager, null), 403, "");
      expect(problems, "another tenant's admin accepts", http.send("POST", accept, otherAdmin, null), 404, "tenant");
      expect(problems, "accepted in another tenant's path", http.send("POST", proposals(other) + "/"
          + byManager.path("id").asLong() + "/accept", otherAdmin, null), 404, "link proposal");
      expect(problems, "no such proposal", http.send("POST", proposals(s) + "/999999999/accept", admin, null), 404,
          "link proposal");
      expect(problems, "a proposal id not a number", http.send("POST", proposals(s) + "/x/accept", admin, null), 404,
          "link proposal");
      expect(problems, "rejected without a reason", http.send("POST", reject, admin, of()), 422, "reason");
      expect(problems, "rejected with a blank reason", http.send("POST", reject, admin, of("reason", " ")), 422,
          "reason");
      expect(problems, "rejected with a long reason", http.send("POST", reject, admin, of("reason", "x".repeat(501))),
          422, "reason");
      expect(problems, "rejected with malformed JSON", http.send("POST", reject, admin, "{"), 400, "");
      assertEquals(List.of(), problems, "refused as they should be");
      assertEquals("PENDING", http.expect(200, "GET", proposalsOf(kakao), manager, null).path(0).path("status")
          .asText(), "still pending after every refusal");
      assertEquals("ACCEPTED", http.expect(200, "POST", accept, s.adminToken(), null).path("status").asText(),
          "HQ accepts");
    }
  }

  /** The tenant's access records of reading proposals by {@code staff}, newest first, as HQ reads them. */
  private static List<JsonNode> proposalReads(TestServer.Setup s, String staff) {
    List<JsonNode> out = new ArrayList<>();
    server.http().expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + "&action=link-proposals&staff=" + staff,
        s.adminToken(), null).path("records").forEach(out::add);
    return out;
  }

  private static List<Long> subjects(JsonNode record) {
    List<Long> ids = new ArrayList<>();
    record.path("subjects").forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  @Test
  void readingProposalsIsOnTheAccessRecordsAndTheExternalIdsShowOnlyToWhoMayUnmask() throws SQLException {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String secret = channel(s);
    String admin = user(s, "boss", "TENANT_ADMIN", null);
    String manager = user(s, "chief", "CENTER_MANAGER", "seoul");
    long role = http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/roles", s.adminToken(), of("name",
        "연결 담당", "base", "TENANT_ADMIN", "permissions", List.of("customers.link"))).path("id").asLong();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "linker",
        "password", TestServer.STAFF_PASSWORD, "name", "연결 담당자", "customRole", role));
    String linker = http.login(s.tenant(), "linker", TestServer.STAFF_PASSWORD);
    long kakao;
    long customer;
    try (WsClient agent = online(s)) {
      kakao = inbound(s, secret, "kakao-3", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
      assertEquals(List.of(), ids(http.expect(200, "GET", proposals(s), admin, null)));
      assertEquals(List.of(), ids(http.expect(200, "GET", proposalsOf(kakao), manager, null)));
      assertEquals(List.of(), proposalReads(s, "boss"), "an empty list shows nobody");
      assertEquals(List.of(), proposalReads(s, "chief"), "nor does a conversation without proposals");

      http.expect(201, "POST", proposalsOf(kakao), s.agentToken(), of("externalId", "member-33"));
      JsonNode own = http.expect(200, "GET", proposalsOf(kakao), s.agentToken(), null).path(0);
      assertEquals("member-33", own.path("externalId").asText(), "the agent's own live chat shows its customer");
      assertEquals("채**객", own.path("customer").path("name").asText());
      customer = own.path("customer").path("id").asLong();
      assertEquals(List.of(), proposalReads(s, "kim"), "the agent's own live chat is not recorded");
      close(agent, kakao);
    }
    assertEquals("m*******3", http.expect(200, "GET", proposalsOf(kakao), s.agentToken(), null).path(0)
        .path("externalId").asText(), "an ended chat: an agent may not unmask");
    JsonNode byAgent = proposalReads(s, "kim").get(0);
    assertEquals("customer " + customer + " of conversation " + kakao, byAgent.path("object").asText(), byAgent
        .toString());
    assertEquals(List.of(customer), subjects(byAgent));
    assertEquals("seoul", byAgent.path("center").asText());

    JsonNode asManager = http.expect(200, "GET", proposalsOf(kakao), manager, null).path(0);
    assertEquals("member-33", asManager.path("externalId").asText(), "a center manager may unmask");
    assertEquals("채**객", asManager.path("customer").path("name").asText(), "the name is masked all the same");
    assertEquals(1, proposalReads(s, "chief").size());

    JsonNode listed = http.expect(200, "GET", proposals(s), admin, null).path(0);
    assertEquals("member-33", listed.path("externalId").asText());
    JsonNode byAdmin = proposalReads(s, "boss").get(0);
    assertTrue(byAdmin.path("object").asText().startsWith("pending link proposals of tenant "), byAdmin.toString());
    assertEquals(List.of(customer), subjects(byAdmin), "a page names each customer on it");
    assertTrue(byAdmin.path("center").isNull(), "a tenant's list spans its centers: " + byAdmin);
    assertEquals("m*******3", http.expect(200, "GET", proposals(s), linker, null).path(0).path("externalId")
        .asText(), "a role that links but may not unmask sees the id masked");
    assertEquals(1, proposalReads(s, "linker").size());

    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("RENAME TABLE access_log TO access_log_away");
      try {
        Http.Response refused = http.send("GET", proposals(s), admin, null);
        assertTrue(refused.status() >= 500, refused.body()::toString);
        assertFalse(refused.body().toString().contains("member-33"), "nothing shown: " + refused.body());
        assertTrue(http.send("GET", proposalsOf(kakao), manager, null).status() >= 500);
      } finally {
        st.execute("RENAME TABLE access_log_away TO access_log");
      }
    }
    assertEquals(200, http.send("GET", proposals(s), admin, null).status(), "and works again");
  }

  /**
   * A bot form that collected a verified identity proposes through the same service, as itself: here the
   * service is built on the server's own database, as the server builds it, and called as the bot will.
   */
  @Test
  void aBotProposesAsItselfAndTheAdminSeesWhichBot() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String secret = channel(s);
    long kakao;
    try (WsClient agent = online(s)) {
      kakao = inbound(s, secret, "kakao-7", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
    }
    TestDatabase.Url url = server.database();
    ExecutorService blocking = Executors.newSingleThreadExecutor();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher())) {
      LinkProposals proposals = new LinkProposals(new JdbcLinkProposalStore(db), new JdbcChannelStore(db,
          new Json()), new ConversationLookup(new LiveConversations(), new JdbcChatStore(db), blocking),
          new JdbcAuditLog(db, Clock.systemUTC()), new JdbcAccessLog(db, server.accessChain(), Clock.systemUTC()),
          Clock.systemUTC());
      LinkProposal.Proposed made = proposals.propose(kakao, new LinkProposal.Proposer.Bot("본인확인 양식"), "member-9",
          "휴대폰 본인인증");
      assertTrue(made.created());
      assertEquals(made.proposal().id(), proposals.propose(kakao, new LinkProposal.Proposer.Bot("본인확인 양식"),
          "member-9", null).proposal().id(), "the same, once");
    } finally {
      blocking.shutdown();
    }
    JsonNode listed = http.expect(200, "GET", proposals(s), s.adminToken(), null).path(0);
    assertEquals("BOT", listed.path("proposedBy").path("kind").asText(), listed.toString());
    assertEquals("본인확인 양식", listed.path("proposedBy").path("name").asText());
    assertEquals("member-9", listed.path("externalId").asText());
    JsonNode audited = http.expect(200, "GET", "/api/audit?action=customer.link.propose&tenant=" + s.tenant(),
        s.adminToken(), null).path("entries");
    assertEquals(1, audited.size(), audited.toString());
    assertEquals("bot:본인확인 양식", audited.path(0).path("actor").asText(), audited.toString());
  }

  private static void expect(List<String> problems, String what, Http.Response r, int status, String named) {
    if (r.status() != status || !r.body().path("error").path("message").asText().contains(named)) {
      problems.add(what + ": " + r.status() + " " + r.body());
    }
  }
}
