package io.sangdam.routing;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Policies, pick, transfer, hold, grace periods, timeouts, business hours and overflow over the real server. */
// One test at a time: each advances the class's clock, which runs every timer due, other tests' too.
@Execution(ExecutionMode.SAME_THREAD)
class RoutingIT {
  /**
   * Starts now (in whole seconds, as the database keeps times), for the business hours' "today"; grace periods, timeouts and overflows fall due only
   * when a test advances it. Each test's periods differ from each other's and from the defaults (60,
   * 120, 300, 600 s), so that a timer another test left pending is never taken for the one awaited.
   */
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time);

  private String base(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant();
  }

  private void queue(TestServer.Setup s, String center, Object body) {
    server.http().expect(201, "POST", base(s) + "/centers/" + center + "/queues", s.adminToken(), body);
  }

  private String agent(TestServer.Setup s, String username, String center, List<String> queues) {
    return agent(s, username, center, queues, 3);
  }

  private String agent(TestServer.Setup s, String username, String center, List<String> queues, int maxChats) {
    server.http().expect(201, "POST", base(s) + "/users", s.adminToken(), of("username", username, "password",
        "agent-pass-9", "name", "상담사 " + username, "role", "AGENT", "center", center, "queues", queues,
        "maxChats", maxChats));
    return server.http().login(s.tenant(), username, "agent-pass-9");
  }

  private WsClient online(String token) {
    WsClient a = server.agent();
    a.send(of("type", "hello", "token", token)).next("welcome");
    a.send(of("type", "status", "status", "ONLINE")).next("status");
    return a;
  }

  private WsClient customer(TestServer.Setup s, String center) {
    WsClient c = server.customer();
    c.send(of("type", "hello", "tenant", s.tenant(), "center", center)).next("welcome");
    return c;
  }

  private static long start(WsClient customer, String queue) {
    return customer.send(of("type", "start", "queue", queue)).next("started").path("conversation").path("id").asLong();
  }

  /** The conversation's state as stored. */
  private String state(TestServer.Setup s, long conversation) {
    return server.http().expect(200, "GET", "/api/conversations/" + conversation, s.adminToken(), null)
        .path("state").asText();
  }

  private void settings(TestServer.Setup s, String center, Object body) {
    server.http().expect(200, "PUT", base(s) + "/centers/" + center + "/settings", s.adminToken(), body);
  }

  @Test
  void roundRobinTakesAgentsInTurn() {
    TestServer.Setup s = server.setUp();
    queue(s, "seoul", of("code", "rr", "name", "RR", "policy", "ROUND_ROBIN", "maxChatsPerAgent", 5));
    try (WsClient a = online(agent(s, "a1", "seoul", List.of("rr")));
        WsClient b = online(agent(s, "b1", "seoul", List.of("rr")));
        WsClient c1 = customer(s, "seoul"); WsClient c2 = customer(s, "seoul"); WsClient c3 = customer(s, "seoul");
        WsClient c4 = customer(s, "seoul")) {
      // Each routed before the next starts: a start is answered before its conversation joins the line, so
      // two started back to back may join it in either order.
      long[] ids = new long[4];
      List<WsClient> customers = List.of(c1, c2, c3, c4);
      for (int i = 0; i < ids.length; i++) {
        ids[i] = start(customers.get(i), "rr");
        customers.get(i).until("assigned");
      }
      List<Long> toA = List.of(a.next("assigned").path("conversation").path("id").asLong(),
          a.next("assigned").path("conversation").path("id").asLong());
      List<Long> toB = List.of(b.next("assigned").path("conversation").path("id").asLong(),
          b.next("assigned").path("conversation").path("id").asLong());
      // The turn is in who gets which: an agent's two assignments are persisted side by side, so their
      // pushes may come in either order (only one conversation's events are ordered).
      assertEquals(java.util.Set.of(ids[0], ids[2]), java.util.Set.copyOf(toA));
      assertEquals(java.util.Set.of(ids[1], ids[3]), java.util.Set.copyOf(toB));
    }
  }

  @Test
  void manualQueuesArePickedFirstPickWinsAndEveryAgentSeesTheListChange() {
    TestServer.Setup s = server.setUp();
    queue(s, "seoul", of("code", "vip", "name", "VIP", "policy", "MANUAL"));
    try (WsClient a = online(agent(s, "a2", "seoul", List.of("vip")));
        WsClient b = online(agent(s, "b2", "seoul", List.of("vip")));
        WsClient c = customer(s, "seoul")) {
      long id = start(c, "vip");
      assertEquals(id, a.next("waitingAdded").path("conversation").path("id").asLong());
      assertEquals(id, b.next("waitingAdded").path("conversation").path("id").asLong());
      JsonNode list = a.send(of("type", "waiting", "rid", "w")).next("waiting");
      assertEquals("w", list.path("rid").asText());
      assertEquals(id, list.path("conversations").get(0).path("id").asLong());

      a.send(of("type", "pick", "rid", "p", "conversation", id));
      assertEquals(id, a.next("waitingRemoved").path("conversation").asLong());
      JsonNode assigned = a.next("assigned");
      assertEquals("p", assigned.path("rid").asText());
      assertEquals(id, assigned.path("conversation").path("id").asLong());
      assertEquals("상담사 a2", c.next("assigned").path("agent").path("name").asText());
      assertEquals(id, b.next("waitingRemoved").path("conversation").asLong());

      b.send(of("type", "pick", "rid", "late", "conversation", id));
      JsonNode taken = b.next("error");
      assertEquals("already_taken", taken.path("code").asText());
      assertEquals("late", taken.path("rid").asText());
      b.send(of("type", "pick", "conversation", 987_654_321));
      assertEquals("not_found", b.next("error").path("code").asText());
      assertEquals(0, b.send(of("type", "waiting")).next("waiting").path("conversations").size());

      try (WsClient leaver = customer(s, "seoul")) {
        long left = start(leaver, "vip");
        assertEquals(left, b.next("waitingAdded").path("conversation").path("id").asLong());
        leaver.send(of("type", "leave", "conversation", left)).next("closed");
        assertEquals(left, b.next("waitingRemoved").path("conversation").asLong());
      }
    }
  }

  @Test
  void aTransferToAQueueOfAnotherCenterCarriesTheNoteAndTellsTheCustomer() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", base(s) + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    queue(s, "busan", of("code", "loan", "name", "대출", "policy", "LEAST_BUSY"));
    try (WsClient kim = online(s.agentToken()); WsClient busan = online(agent(s, "park", "busan", List.of("loan")));
        WsClient c = customer(s, "seoul")) {
      long id = start(c, "card");
      c.next("assigned");
      kim.next("assigned");
      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toQueue", "busan/loan", "note", "대출 문의입니다"));
      assertEquals("t", kim.next("transferred").path("rid").asText());
      JsonNode there = busan.next("assigned");
      assertEquals("대출 문의입니다", there.path("note").asText());
      assertEquals("busan", there.path("conversation").path("center").asText());
      assertEquals("loan", there.path("conversation").path("queue").asText());
      assertEquals("system", c.until("message").path("from").asText());
      kim.send(of("type", "send", "conversation", id, "cmid", "gone", "text", "still mine?"));
      assertEquals("not_found", kim.until("error").path("code").asText());
      busan.send(of("type", "send", "conversation", id, "cmid", "b1", "text", "부산입니다"));
      assertTrue(busan.until("ack").path("seq").asLong() > 1);
    }
  }

  @Test
  void aTransferToAnAgentNeedsRoomAndAKnownTargetInTheSameTenant() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    queue(s, "seoul", of("code", "one", "name", "One", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
    String leeToken = agent(s, "lee", "seoul", List.of("one"), 1);
    try (WsClient kim = online(s.agentToken()); WsClient c1 = customer(s, "seoul"); WsClient c2 = customer(s, "seoul")) {
      long first = start(c1, "card");
      c1.next("assigned");
      kim.next("assigned");
      try (WsClient lee = online(leeToken)) {
        long second = start(c2, "one");
        lee.next("assigned");
        JsonNode targets = kim.send(of("type", "transferTargets", "rid", "tt", "conversation", first))
            .next("transferTargets");
        assertEquals("tt", targets.path("rid").asText());
        assertEquals(of("username", "lee", "name", "상담사 lee", "status", "ONLINE", "openChats", 1, "maxChats", 1,
            "room", false), targets.path("agents").get(0), "the dialog shows lee full, as the transfer finds her");
        assertEquals(1, targets.path("agents").size(), "kim is not offered to himself");
        assertEquals(List.of(s.center() + "/card", s.center() + "/one"), List.of(
            targets.path("queues").get(0).path("target").asText(), targets.path("queues").get(1).path("target")
                .asText()));
        kim.send(of("type", "transfer", "conversation", first, "toAgent", "lee"));
        assertEquals("at_capacity", kim.next("error").path("code").asText(), "lee is at 1 of 1");
        kim.send(of("type", "transferTargets", "conversation", second));
        assertEquals("not_found", kim.next("error").path("code").asText(), "only for one's own chat");
        kim.send(of("type", "transferTargets", "conversation", "x"));
        assertEquals("invalid_field", kim.next("error").path("code").asText());
        kim.send(of("type", "transfer", "conversation", first, "toAgent", "nobody"));
        assertEquals("not_found", kim.next("error").path("code").asText());
        kim.send(of("type", "transfer", "conversation", first, "toQueue", other.tenant() + "/card"));
        assertEquals("not_found", kim.next("error").path("code").asText());
        kim.send(of("type", "transfer", "conversation", first, "toQueue", "nowhere"));
        assertEquals("not_found", kim.next("error").path("code").asText());
        kim.send(of("type", "transfer", "conversation", first));
        assertEquals("invalid_field", kim.next("error").path("code").asText());
        kim.send(of("type", "transfer", "conversation", second, "toAgent", "lee"));
        assertEquals("not_found", kim.next("error").path("code").asText(), "not kim's conversation");

        lee.send(of("type", "close", "conversation", second)).next("closed");
        assertTrue(kim.send(of("type", "transferTargets", "conversation", first)).next("transferTargets")
            .path("agents").get(0).path("room").asBoolean(), "lee has room again");
        lee.send(of("type", "transfer", "conversation", second, "toQueue", "card"));
        assertEquals("conversation_closed", lee.next("error").path("code").asText());
        lee.send(of("type", "hold", "conversation", second));
        assertEquals("conversation_closed", lee.next("error").path("code").asText());
        lee.send(of("type", "pick", "conversation", second));
        assertEquals("conversation_closed", lee.next("error").path("code").asText());
        kim.send(of("type", "transfer", "rid", 1, "conversation", first, "toAgent", "lee", "note", "부탁해요"));
        assertEquals(1, kim.next("transferred").path("rid").asInt());
        JsonNode handed = lee.next("assigned");
        assertEquals(first, handed.path("conversation").path("id").asLong());
        assertEquals("부탁해요", handed.path("note").asText());
        assertEquals("상담사 lee", c1.until("assigned").path("agent").path("name").asText());
        kim.send(of("type", "close", "conversation", first));
        assertEquals("not_found", kim.until("error").path("code").asText());
      }
    }
  }

  @Test
  void holdTellsBothSidesAndRepeatingItChangesNothing() {
    TestServer.Setup s = server.setUp();
    try (WsClient kim = online(s.agentToken()); WsClient c = customer(s, "seoul")) {
      long id = start(c, "card");
      c.next("assigned");
      kim.next("assigned");
      kim.send(of("type", "hold", "rid", "h", "conversation", id, "hold", true));
      JsonNode held = kim.until("hold");
      assertEquals("h", held.path("rid").asText());
      assertTrue(held.path("hold").asBoolean());
      assertEquals(Set.of("hold", "message"), Set.of(c.next().path("type").asText(), c.next().path("type").asText()),
          "the customer is told, and reads the system message, in either order");
      kim.send(of("type", "hold", "conversation", id, "hold", true)).until("hold");
      c.assertNothingSoFar("a hold repeated changes nothing, and tells the customer nothing");
      kim.send(of("type", "hold", "conversation", id, "hold", false));
      assertFalse(kim.until("hold").path("hold").asBoolean());
      assertFalse(c.until("hold").path("hold").asBoolean());
    }
  }

  @Test
  void anAgentWhoStaysOfflinePastTheGracePeriodLosesTheirChatsToTheQueue() {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(30);
    settings(s, "seoul", of("agentGraceSeconds", grace.toSeconds()));
    String leeToken = agent(s, "lee2", "seoul", List.of("card"));
    try (WsClient c = customer(s, "seoul")) {
      long id;
      try (WsClient kim = online(s.agentToken())) {
        id = start(c, "card");
        c.next("assigned");
        kim.next("assigned");
      }
      time.awaitTaskDueIn(grace);
      time.advance(grace.minusSeconds(1));
      try (WsClient lee = online(leeToken)) {
        lee.assertNothingSoFar("kim's chat stays his until his grace period is over");
        time.advance(Duration.ofSeconds(1));
        assertEquals(id, lee.next("assigned").path("conversation").path("id").asLong());
        assertEquals("상담사 lee2", c.until("assigned").path("agent").path("name").asText());
      }
    }
  }

  /**
   * The grace period's requeue is held in the database (a row lock); the agent comes back ONLINE meanwhile. Their
   * chat still counts against their room of one: a new customer waits, and nobody is ever carried two at once.
   */
  @Test
  void anAgentBackBeforeTheGracePeriodsRequeueIsStoredGetsNoMoreThanTheirRoom() throws SQLException {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(33);
    settings(s, "seoul", of("agentGraceSeconds", grace.toSeconds()));
    String token = agent(s, "park1", "seoul", List.of("card"), 1);
    TestDatabase.Url db = server.database();
    try (WsClient first = customer(s, "seoul"); WsClient second = server.customerSeeingPositions();
        Connection stall = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      long held;
      try (WsClient park = online(token)) {
        held = start(first, "card");
        park.next("assigned");
      }
      stall.setAutoCommit(false);
      try (PreparedStatement lock = stall.prepareStatement("SELECT state FROM conversation WHERE id = ? FOR UPDATE")) {
        lock.setLong(1, held);
        lock.executeQuery().close();
      }
      time.awaitTaskDueIn(grace);
      time.advance(grace);
      Eventually.eventually("the requeue waits for the row", () -> waitingOn(stall), n -> n > 0);
      try (WsClient park = online(token)) {
        second.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
        long next = start(second, "card");
        assertEquals("queue", second.next().path("type").asText(), "park still carries " + held);
        assertEquals("WAITING", state(s, next));
        stall.rollback();
        long given = park.until("assigned").path("conversation").path("id").asLong();
        long other = given == held ? next : held;
        assertTrue(given == held || given == next, "park is given one of the two: " + given);
        Eventually.eventually("the other waits for park's room", () -> state(s, other), "WAITING"::equals);
        assertEquals("ASSIGNED", state(s, given));
      }
    }
  }

  /** How many transactions wait for a lock {@code c}'s transaction holds. */
  private static int waitingOn(Connection c) {
    try (PreparedStatement st = c.prepareStatement("""
        SELECT COUNT(*) FROM information_schema.INNODB_LOCK_WAITS w
        JOIN information_schema.INNODB_TRX t ON t.trx_id = w.blocking_trx_id
        WHERE t.trx_mysql_thread_id = CONNECTION_ID()"""); ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAgentWhoChoosesOfflineIsToldWhenTheGracePeriodTakesTheirChats() {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(31);
    settings(s, "seoul", of("agentGraceSeconds", grace.toSeconds()));
    try (WsClient kim = online(s.agentToken()); WsClient c = customer(s, "seoul")) {
      long id = start(c, "card");
      c.next("assigned");
      kim.next("assigned");
      kim.send(of("type", "status", "status", "OFFLINE")).next("status");
      time.awaitTaskDueIn(grace);
      time.advance(grace.minusSeconds(1));
      kim.assertNothingSoFar("the chat stays kim's within the grace");
      time.advance(Duration.ofSeconds(1));
      assertEquals(id, kim.until("transferred").path("conversation").asLong());
      try (WsClient other = customer(s, "seoul")) {
        long waiting = start(other, "card");
        // The customer is told started before the conversation joins its line: until then a pick finds nothing.
        assertEquals("agent_unavailable", Eventually.eventually("the pick refused for kim's absence, not the line's",
            () -> kim.send(of("type", "pick", "conversation", waiting)).until("error").path("code").asText(),
            code -> !code.equals("not_found")));
      }
    }
  }

  @Test
  void aWaitingCustomerWhoStaysAwayAbandons() {
    TestServer.Setup s = server.setUp();
    Duration grace = Duration.ofSeconds(32);
    settings(s, "seoul", of("customerGraceSeconds", grace.toSeconds()));
    String visitor;
    long id;
    try (WsClient c = server.customer()) {
      visitor = c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome").path("visitor")
          .asText();
      id = start(c, "card");
    }
    time.awaitTaskDueIn(grace);
    time.advance(grace.minusSeconds(1));
    assertEquals("WAITING", state(s, id), "still waiting within the grace");
    time.advance(Duration.ofSeconds(1));
    eventually("abandoned after the grace", () -> state(s, id), "ABANDONED"::equals);
    try (WsClient kim = server.agent()) {
      kim.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      kim.send(of("type", "status", "status", "ONLINE")).next("status");
      kim.assertNothingSoFar("nothing is left to assign");
    }
    try (WsClient back = server.customer()) {
      assertEquals(0, back.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor", visitor))
          .next("welcome").path("open").size());
    }
  }

  @Test
  void aSilentCustomerIsWarnedThenTheChatClosesWithReasonTimeout() {
    TestServer.Setup s = server.setUp();
    Duration warningAfter = Duration.ofSeconds(45);
    Duration closeAfter = Duration.ofSeconds(33);
    settings(s, "seoul", of("idleWarningSeconds", warningAfter.toSeconds(), "idleCloseSeconds",
        closeAfter.toSeconds()));
    try (WsClient kim = online(s.agentToken()); WsClient c = customer(s, "seoul")) {
      long id = start(c, "card");
      c.next("assigned");
      kim.next("assigned");
      kim.send(of("type", "send", "conversation", id, "cmid", "q", "text", "더 필요하신 것 있으세요?")).next("ack");
      c.next("message");
      time.awaitTaskDueIn(warningAfter);
      time.advance(warningAfter.minusSeconds(1));
      c.assertNothingSoFar("no warning before the idle-warning time");
      time.advance(Duration.ofSeconds(1));
      JsonNode warning = c.next("message");
      assertEquals("system", warning.path("from").asText());
      kim.next("message");
      time.awaitTaskDueIn(closeAfter);
      time.advance(closeAfter.minusSeconds(1));
      c.assertNothingSoFar("not closed before the idle-close time");
      time.advance(Duration.ofSeconds(1));
      assertEquals("timeout", c.next("closed").path("reason").asText());
      assertEquals("timeout", kim.next("closed").path("reason").asText());
    }
  }

  @Test
  void outOfHoursAStartIsRefusedWithTheNextOpeningOrLeavesAnInquiry() {
    TestServer.Setup s = server.setUp();
    String today = LocalDate.now(ZoneId.of("Asia/Seoul")).toString();
    String tomorrow = LocalDate.now(ZoneId.of("Asia/Seoul")).plusDays(1).toString();
    server.http().expect(200, "PUT", base(s) + "/centers/seoul/hours", s.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", of("MON", List.of(List.of("00:00", "24:00")), "TUE", List.of(List.of("00:00", "24:00")),
            "WED", List.of(List.of("00:00", "24:00")), "THU", List.of(List.of("00:00", "24:00")),
            "FRI", List.of(List.of("00:00", "24:00")), "SAT", List.of(List.of("00:00", "24:00")),
            "SUN", List.of(List.of("00:00", "24:00"))),
        "holidays", List.of(today, tomorrow), "outOfHours", "OFFLINE_FORM"));
    try (WsClient c = customer(s, "seoul")) {
      c.send(of("type", "start", "rid", 1, "queue", "card"));
      JsonNode closed = c.next("error");
      assertEquals("center_closed", closed.path("code").asText());
      assertTrue(closed.path("opensAt").asText().startsWith(
          LocalDate.now(ZoneId.of("Asia/Seoul")).plusDays(1).toString().substring(0, 4)), closed.toString());
      c.send(of("type", "start", "queue", "card", "offline", true, "text", "내일 연락 주세요"));
      assertEquals("missing_field", c.next("error").path("code").asText());
      c.send(of("type", "start", "rid", 2, "queue", "card", "offline", true, "contact", "010-1234-5678",
          "text", "내일 연락 주세요"));
      long inquiry = c.next("inquiryStored").path("inquiry").asLong();
      JsonNode listed = server.http().expect(200, "GET", base(s) + "/centers/seoul/inquiries", s.adminToken(), null);
      assertEquals(inquiry, listed.get(0).path("id").asLong());
      assertEquals("내일 연락 주세요", listed.get(0).path("text").asText());
      try (WsClient kim = server.agent()) {
        kim.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        assertEquals(inquiry, kim.send(of("type", "inquiries")).next("inquiries").path("inquiries").get(0).path("id")
            .asLong());
      }
      server.http().expect(204, "POST", base(s) + "/centers/seoul/inquiries/" + inquiry + "/handled",
          s.adminToken(), null);
      assertEquals(409, server.http().send("POST", base(s) + "/centers/seoul/inquiries/" + inquiry + "/handled",
          s.adminToken(), null).status());

      JsonNode hours = server.http().expect(200, "GET", base(s) + "/centers/seoul/hours", s.adminToken(), null);
      ((com.fasterxml.jackson.databind.node.ObjectNode) hours).put("outOfHours", "ACCEPT");
      server.http().expect(200, "PUT", base(s) + "/centers/seoul/hours", s.adminToken(), hours);
      c.send(of("type", "start", "queue", "card")).next("started");
    }
    server.http().expect(204, "DELETE", base(s) + "/centers/seoul/hours", s.adminToken(), null);
    assertTrue(server.http().expect(200, "GET", base(s) + "/centers/seoul/hours", s.adminToken(), null)
        .path("alwaysOpen").asBoolean());
    assertEquals("invalid_field", server.http().send("PUT", base(s) + "/centers/seoul/hours", s.adminToken(),
        of("timezone", "Asia/Seoul", "weekly", of("MONDAY", List.of()))).errorCode());
  }

  @Test
  void aCustomerWithPriorityGoesAheadOfThoseWhoCameEarlier() {
    TestServer.Setup s = server.setUp();
    try (WsClient early = customer(s, "seoul"); WsClient vip = customer(s, "seoul")) {
      long first = start(early, "card");
      long customer = vip.send(of("type", "start", "queue", "card")).next("started").path("conversation")
          .path("customer").path("id").asLong();
      server.http().expect(200, "PUT", base(s) + "/customers/" + customer + "/priority", s.adminToken(),
          of("priority", 10));
      assertEquals(404, server.http().send("PUT", base(s) + "/customers/999999/priority", s.adminToken(),
          of("priority", 10)).status());
      assertEquals("invalid_field", server.http().send("PUT", base(s) + "/customers/" + customer + "/priority",
          s.adminToken(), of("priority", 101)).errorCode());
      long later = start(vip, "card");
      try (WsClient solo = online(agent(s, "solo", "seoul", List.of("card"), 1))) {
        assertEquals(later, solo.next("assigned").path("conversation").path("id").asLong(),
            "room for one: the priority customer's new conversation goes first");
        // The answer to the close and the next assignment both follow the close's delivery, in either order.
        solo.send(of("type", "close", "conversation", later));
        JsonNode next = null;
        boolean closed = false;
        while (next == null || !closed) {
          JsonNode m = solo.next();
          closed |= m.path("type").asText().equals("closed");
          if (m.path("type").asText().equals("assigned")) {
            next = m;
          }
        }
        assertEquals(first, next.path("conversation").path("id").asLong(), "then the earliest of the others");
      }
    }
  }

  @Test
  void aWaitingCustomerIsToldTheirPosition() {
    TestServer.Setup s = server.setUp();
    try (WsClient first = server.customerSeeingPositions(); WsClient second = server.customerSeeingPositions()) {
      first.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      second.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      start(first, "card");
      JsonNode p1 = first.next("queue");
      assertEquals(1, p1.path("position").asInt());
      assertTrue(p1.path("etaSeconds").isNull(), "nobody online: the wait is unknown");
      start(second, "card");
      assertEquals(2, second.next("queue").path("position").asInt());
    }
  }

  @Test
  void aConversationOverflowsToAnotherCenterAfterItsWait() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", base(s) + "/centers", s.adminToken(), of("code", "daegu", "name", "대구"));
    queue(s, "daegu", of("code", "spill", "name", "Spill", "policy", "LEAST_BUSY"));
    queue(s, "seoul", of("code", "busy", "name", "Busy", "policy", "LEAST_BUSY", "overflowTo", "daegu/spill",
        "overflowAfterSeconds", 34));
    try (WsClient daegu = online(agent(s, "choi", "daegu", List.of("spill"))); WsClient c = customer(s, "seoul")) {
      long id = start(c, "busy");
      time.awaitTaskDueIn(Duration.ofSeconds(34));
      time.advance(Duration.ofSeconds(33));
      daegu.assertNothingSoFar("it waits in seoul first");
      time.advance(Duration.ofSeconds(1));
      JsonNode there = daegu.next("assigned");
      assertEquals(id, there.path("conversation").path("id").asLong());
      assertEquals("spill", there.path("conversation").path("queue").asText());
      assertEquals("상담사 choi", c.next("assigned").path("agent").path("name").asText());
    }
  }
}
