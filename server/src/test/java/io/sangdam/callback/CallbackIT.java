package io.sangdam.callback;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callback requests end to end on the real server and database, with the server's clock in the test's hands: the
 * widget leaves one out of hours at a slot of the center's hours, the agent sees it due, claims it (the number
 * unmasked for them alone, audited) and records the outcome; the statistics count it. Bad input of every kind is
 * refused with a clear error and stores nothing; two agents racing for one request: exactly one wins.
 */
class CallbackIT {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  /**
   * 18:00 tomorrow in Seoul: the tests reason about its "today" and "tomorrow", so "now" must be neither late evening
   * (a slot at midnight would be due at once) nor so early that reaching midnight outlives the sign-ins (12 h).
   */
  private static final ManualTime time = new ManualTime(ZonedDateTime.now(SEOUL).plusDays(1).toLocalDate()
      .atTime(18, 0).atZone(SEOUL).toInstant());

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time).with("SANGDAM_AUTH_TOKENTTLMINUTES", "10080");

  private static final ExecutorService racers = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stopRacers() {
    racers.shutdownNow();
  }

  @Test
  void outOfHoursTheWidgetLeavesACallbackThatTheAgentClaimsCallsAndTheStatisticsCount() throws Exception {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    // Closed today (a holiday), open all day from tomorrow: the first slot is tomorrow's local midnight.
    LocalDate today = time.instant().atZone(SEOUL).toLocalDate();
    http.expect(200, "PUT", t + "/centers/seoul/hours", s.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", allWeek(), "holidays", List.of(today.toString()), "outOfHours", "OFFLINE_FORM"));
    Instant tomorrow = today.plusDays(1).atStartOfDay(SEOUL).toInstant();
    long id;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      assertFalse(customer.send(of("type", "queues", "rid", "q")).next("queues").path("open").asBoolean());
      JsonNode slots = customer.send(of("type", "callbackSlots", "rid", "s")).next("callbackSlots");
      assertEquals(30, slots.path("minutes").asInt());
      assertEquals("Asia/Seoul", slots.path("timezone").asText(), "the clock the slots are on");
      assertEquals(tomorrow.toString(), slots.path("slots").get(0).asText(), slots.toString());
      for (JsonNode slot : slots.path("slots")) {
        assertFalse(Instant.parse(slot.asText()).atZone(SEOUL).toLocalDate().equals(today), "a slot on the holiday");
      }
      JsonNode stored = customer.send(of("type", "callback", "rid", "c1", "queue", "card", "slot", tomorrow.toString(),
          "phone", "010 1234 5678", "clientId", "widget-1", "note", "카드 해지 문의")).next("callbackStored");
      assertEquals(tomorrow.toString(), stored.path("slot").asText());
      id = stored.path("callback").asLong();
      agent.until("callbacksChanged");
      // The same request again (a retry after a lost answer), even with another slot: the first one, nothing new.
      JsonNode again = customer.send(of("type", "callback", "rid", "c2", "queue", "card", "slot",
          tomorrow.plus(Duration.ofHours(2)).toString(), "phone", "010-1234-5678", "clientId", "widget-1"))
          .next("callbackStored");
      assertEquals(id, again.path("callback").asLong());
      assertEquals(tomorrow.toString(), again.path("slot").asText());
    }
    JsonNode listed = http.expect(200, "GET", t + "/callbacks", s.adminToken(), null);
    assertEquals(1, listed.size(), listed.toString());
    assertEquals("010-****-5678", listed.get(0).path("phone").asText());
    assertEquals("홍*동", listed.get(0).path("customer").path("name").asText());
    assertEquals("OPEN", listed.get(0).path("state").asText());
    assertEquals("widget", listed.get(0).path("source").asText());
    assertEquals(0, http.expect(200, "GET", t + "/callbacks?view=queue", s.agentToken(), null).size(),
        "not due while its slot is more than an hour away");

    time.advance(Duration.between(time.instant(), tomorrow.minus(Duration.ofMinutes(30))));
    String agentToken = http.login(s.tenant(), "kim", "agent-pass-1");
    JsonNode queue = http.expect(200, "GET", t + "/callbacks?view=queue", agentToken, null);
    assertEquals(1, queue.size(), queue.toString());
    assertEquals("010-****-5678", queue.get(0).path("phone").asText());
    assertFalse(queue.get(0).path("overdue").asBoolean());
    assertEquals("Asia/Seoul", queue.get(0).path("timezone").asText());

    JsonNode claimed = http.expect(200, "POST", t + "/callbacks/" + id + "/claim", agentToken, null);
    assertEquals("010-1234-5678", claimed.path("phone").asText(), "unmasked for the agent who claimed it");
    assertEquals("홍길동", claimed.path("customer").path("name").asText());
    assertEquals("CLAIMED", claimed.path("state").asText());
    assertEquals("010-****-5678", http.expect(200, "GET", t + "/callbacks", s.adminToken(), null).get(0)
        .path("phone").asText(), "masked to everyone else");
    JsonNode audit = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=pii.", s.adminToken(), null);
    assertTrue(audit.toString().contains("callback " + id), audit.toString());
    Http.Response twice = http.send("POST", t + "/callbacks/" + id + "/claim", agentToken, null);
    assertEquals(409, twice.status());
    assertEquals("already_taken", twice.errorCode());

    JsonNode done = http.expect(200, "POST", t + "/callbacks/" + id + "/outcome", agentToken,
        of("outcome", "reached", "note", "해지 안내 완료"));
    assertEquals("DONE", done.path("state").asText());
    assertEquals("reached", done.path("outcome").asText());
    assertEquals("해지 안내 완료", done.path("outcomeNote").asText());
    Http.Response second = http.send("POST", t + "/callbacks/" + id + "/outcome", agentToken,
        of("outcome", "wrong_number"));
    assertEquals(409, second.status(), "an outcome is recorded once");
    assertEquals("conflict", second.errorCode());
    assertEquals("reached", http.expect(200, "GET", t + "/callbacks", s.adminToken(), null).get(0).path("outcome")
        .asText(), "the first outcome stands");
    assertEquals(0, http.expect(200, "GET", t + "/callbacks?view=queue", agentToken, null).size());
    String managed = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=manage.post",
        s.adminToken(), null).toString();
    assertTrue(managed.contains("/callbacks/" + id + "/claim") && managed.contains("010-****-5678")
        && managed.contains("홍*동"), "the claim is audited with the customer masked: " + managed);
    assertFalse(managed.contains("010-1234-5678") || managed.contains("홍길동"),
        "the number the agent was shown is not in the audit log: " + managed);

    String day = tomorrow.atZone(SEOUL).toLocalDate().toString();
    JsonNode stats = http.expect(200, "GET", "/api/stats/callbacks?scope=" + s.tenant() + "/seoul&from=" + day
        + "&to=" + day, s.adminToken(), null);
    assertEquals(1, stats.path("total").path("requested").asInt(), stats.toString());
    assertEquals(1, stats.path("total").path("completed").asInt());
    assertEquals(1, stats.path("total").path("reached").asInt());
    assertEquals(1.0, stats.path("total").path("reachedRate").asDouble());
    assertEquals(0, stats.path("total").path("overdue").asInt());
    assertEquals("card", stats.path("rows").get(0).path("queue").asText());
    assertEquals(day, stats.path("rows").get(0).path("day").asText());
    Http.Download csv = http.download("/api/stats/callbacks?scope=" + s.tenant() + "/seoul&from=" + day + "&to=" + day
        + "&format=csv", s.adminToken());
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    assertTrue(text.contains(day + ",\"서울\",\"카드\",1,1,1,1.0,0,0\r\n"), text);
    assertTrue(text.contains("합계,,,1,1,1,1.0,0,0\r\n"), text);
  }

  @Test
  void badRequestsAreRefusedEachWithItsReasonAndStoreNothing() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    // Open 09:00 to 18:00 every day: some slots are outside.
    http.expect(200, "PUT", t + "/centers/seoul/hours", s.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", Map.of("MON", nine(), "TUE", nine(), "WED", nine(), "THU", nine(), "FRI", nine(), "SAT", nine(),
            "SUN", nine()), "outOfHours", "OFFLINE_FORM"));
    Instant now = time.instant();
    ZonedDateTime tomorrow = now.atZone(SEOUL).toLocalDate().plusDays(1).atStartOfDay(SEOUL);
    String good = tomorrow.plusHours(10).toInstant().toString();
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      refused(customer, "slot", "invalid_field", changes("slot", now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS)
          .toString()));
      refused(customer, "slot", "invalid_field", changes("slot", tomorrow.plusHours(3).toInstant().toString()));
      refused(customer, "slot", "invalid_field", changes("slot", tomorrow.plusHours(10).plusMinutes(10).toInstant()
          .toString()));
      refused(customer, "slot", "invalid_field", changes("slot", tomorrow.plusHours(17).plusMinutes(45).toInstant()
          .toString()));
      refused(customer, "slot", "invalid_field", changes("slot", tomorrow.plusDays(30).plusHours(10).toInstant()
          .toString()));
      refused(customer, "slot", "invalid_field", changes("slot", "내일 오전"));
      refused(customer, "phone", "invalid_field", changes("slot", good, "phone", "12345"));
      refused(customer, "phone", "invalid_field", changes("slot", good, "phone", "02-123-4567"));
      refused(customer, "phone", "invalid_field", changes("slot", good, "phone", "010-1234-5678".repeat(4)));
      refused(customer, "phone", "missing_field", changes("slot", good, "phone", null));
      refused(customer, "clientId", "invalid_field", changes("slot", good, "clientId", "두 번째 요청"));
      refused(customer, "clientId", "invalid_field", changes("slot", good, "clientId", "x".repeat(65)));
      refused(customer, "note", "invalid_field", changes("slot", good, "note", "가".repeat(1001)));
      refused(customer, "queue", "not_found", changes("slot", good, "queue", "nowhere"));
      refused(customer, "slot", "missing_field", changes("slot", null));
    }
    assertEquals(0, http.expect(200, "GET", t + "/callbacks", s.adminToken(), null).size(), "nothing stored");
    assertEquals("invalid_field", http.send("GET", t + "/callbacks?state=LOST", s.adminToken(), null).errorCode());
    assertEquals("invalid_field", http.send("GET", t + "/callbacks?view=mine", s.agentToken(), null).errorCode());
    assertEquals(403, http.send("GET", t + "/callbacks?view=queue", s.adminToken(), null).status(),
        "HQ calls no one back");
    assertEquals("invalid_field", http.send("GET", "/api/stats/callbacks?scope=" + s.tenant() + "&from=2026-12-09"
        + "&to=2026-12-01", s.adminToken(), null).errorCode());
    assertEquals("missing_field", http.send("GET", "/api/stats/callbacks?scope=" + s.tenant() + "&from=2026-12-09",
        s.adminToken(), null).errorCode());
    assertEquals("invalid_field", http.send("GET", "/api/stats/callbacks?scope=" + s.tenant() + "&from=2026-12-01"
        + "&to=2026-12-09&format=xls", s.adminToken(), null).errorCode());
  }

  @Test
  void twoAgentsRacingForOneCallbackOneWinsAndTheOtherIsToldItIsTaken() throws Exception {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    String lee = agent(s, "lee", "seoul", "card");
    http.expect(201, "POST", t + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    http.expect(201, "POST", t + "/centers/busan/queues", s.adminToken(), of("code", "card", "name", "카드",
        "policy", "LEAST_BUSY"));
    String busan = agent(s, "park", "busan", "card");
    TestServer.Setup other = server.setUp();
    List<Long> ids = new ArrayList<>();
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      // Always open: the first slot is at most half an hour away, so due at once.
      String slot = customer.send(of("type", "callbackSlots", "rid", "s")).next("callbackSlots").path("slots").get(0)
          .asText();
      for (int i = 0; i < 10; i++) {
        ids.add(customer.send(of("type", "callback", "rid", "r" + i, "queue", "card", "slot", slot, "phone",
            "010-2222-33" + (10 + i), "clientId", "race-" + i)).next("callbackStored").path("callback").asLong());
      }
    }
    assertEquals(10, http.expect(200, "GET", t + "/callbacks?view=queue", lee, null).size());
    for (long id : ids) {
      Future<Http.Response> kim = racers.submit(claim(t, id, s.agentToken()));
      Future<Http.Response> other2 = racers.submit(claim(t, id, lee));
      List<Http.Response> answers = List.of(kim.get(30, TimeUnit.SECONDS), other2.get(30, TimeUnit.SECONDS));
      assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), answers.toString());
      Http.Response lost = answers.stream().filter(r -> r.status() != 200).findFirst().orElseThrow();
      assertEquals("already_taken", lost.errorCode(), lost.body().toString());
    }
    long first = ids.get(0);
    String winner = winnerOf(t, first, s.agentToken(), lee);
    http.expect(200, "POST", t + "/callbacks/" + first + "/outcome", winner, of("outcome", "no_answer"));
    // No answer: back in the queue, due again half an hour on, the attempt counted; the claim is gone.
    JsonNode retried = http.expect(200, "GET", t + "/callbacks?state=OPEN", s.adminToken(), null);
    JsonNode back = find(retried, first);
    assertEquals(1, back.path("attempts").asInt());
    assertEquals("no_answer", back.path("outcome").asText());
    assertEquals(time.instant().plus(Duration.ofMinutes(30)).toString(), back.path("dueAt").asText());
    assertEquals(409, http.send("POST", t + "/callbacks/" + first + "/outcome", winner, of("outcome", "reached"))
        .status(), "no claim after no answer: claim again first");

    long second = ids.get(1);
    // The loser of the race, another center's agent, another tenant's: none may record or claim it.
    String holder = winnerOf(t, second, s.agentToken(), lee);
    String loser = holder.equals(lee) ? s.agentToken() : lee;
    assertEquals("conflict", http.send("POST", t + "/callbacks/" + second + "/outcome", loser,
        of("outcome", "reached")).errorCode(), "the loser may not record the outcome");
    assertEquals(404, http.send("POST", t + "/callbacks/" + second + "/claim", busan, null).status());
    assertEquals(404, http.send("POST", t + "/callbacks/" + second + "/outcome", busan, of("outcome", "reached"))
        .status());
    assertEquals(404, http.send("POST", "/api/tenants/" + other.tenant() + "/callbacks/" + second + "/claim",
        other.agentToken(), null).status());
    assertEquals(404, http.send("POST", t + "/callbacks/" + second + "/claim", other.agentToken(), null).status());
    assertEquals(0, http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/callbacks?view=queue", busan, null)
        .size(), "Busan's agent sees none of Seoul's");
    // Bad outcomes: each refused, the claim kept.
    assertEquals("invalid_field", http.send("POST", t + "/callbacks/" + second + "/outcome", holder,
        of("outcome", "maybe")).errorCode());
    assertEquals("missing_field", http.send("POST", t + "/callbacks/" + second + "/outcome", holder, of())
        .errorCode());
    assertEquals("invalid_field", http.send("POST", t + "/callbacks/" + second + "/outcome", holder,
        of("outcome", "no_answer", "retryAt", time.instant().minus(Duration.ofMinutes(5)).toString())).errorCode());
    assertEquals("invalid_field", http.send("POST", t + "/callbacks/" + second + "/outcome", holder,
        of("outcome", "reached", "retryAt", time.instant().plus(Duration.ofHours(1)).toString())).errorCode());
    assertEquals("invalid_field", http.send("POST", t + "/callbacks/" + second + "/outcome", holder,
        of("outcome", "reached", "note", "가".repeat(1001))).errorCode());
    assertEquals("not_found", http.send("POST", t + "/callbacks/abc/claim", holder, null).errorCode());
    assertEquals("CLAIMED", find(http.expect(200, "GET", t + "/callbacks", s.adminToken(), null), second)
        .path("state").asText());

    // Not called again half an hour past its due time: overdue, to the agents and in the statistics. Claimed ones
    // are not: someone is on them.
    time.advance(Duration.ofHours(2));
    JsonNode late = http.expect(200, "GET", t + "/callbacks?view=queue", lee, null);
    assertTrue(find(late, first).path("overdue").asBoolean(), late.toString());
    assertFalse(find(http.expect(200, "GET", t + "/callbacks", s.adminToken(), null), second).path("overdue")
        .asBoolean());
    String day = Instant.parse(find(late, first).path("slotAt").asText()).atZone(SEOUL).toLocalDate().toString();
    JsonNode stats = http.expect(200, "GET", "/api/stats/callbacks?scope=" + s.tenant() + "&from=" + day + "&to="
        + day, s.adminToken(), null);
    assertEquals(10, stats.path("total").path("requested").asInt(), stats.toString());
    assertEquals(0, stats.path("total").path("completed").asInt());
    assertTrue(stats.path("total").path("reachedRate").isNull());
    assertEquals(1, stats.path("total").path("noAnswer").asInt());
    assertEquals(1, stats.path("total").path("overdue").asInt());
  }

  @Test
  void theBotOffersTheSlotsAsksTheNumberAndLeavesTheRequestThenEndsTheChat() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    long scenario = http.expect(201, "POST", t + "/scenarios", s.adminToken(), "{\"name\":\"콜백봇\",\"start\":\"call\","
        + "\"fallback\":{\"text\":\"죄송해요.\",\"next\":\"bye\"},\"nodes\":[{\"id\":\"call\",\"type\":\"callback\","
        + "\"queue\":\"card\",\"text\":\"예약되었어요.\"},{\"id\":\"bye\",\"type\":\"end\",\"reason\":\"bye\"}]}")
        .path("id").asLong();
    http.expect(200, "PUT", t + "/scenario-entries", s.adminToken(), of("center", "seoul", "scenario", scenario));
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "김고객")).next("welcome");
      long id = customer.send(of("type", "start", "rid", "s", "queue", "card")).next("started").path("conversation")
          .path("id").asLong();
      JsonNode offer = customer.until("message");
      assertEquals("bot", offer.path("from").asText(), offer.toString());
      JsonNode first = offer.path("buttons").get(0);
      assertTrue(first.path("id").asText().startsWith("_slot"), offer.toString());
      customer.send(of("type", "send", "conversation", id, "cmid", "c1", "text", first.path("label").asText(),
          "button", first.path("id").asText()));
      assertTrue(customer.until("message").path("text").asText().contains("휴대폰 번호"));
      customer.send(of("type", "send", "conversation", id, "cmid", "c2", "text", "010.5555.6666"));
      assertEquals("예약되었어요.", customer.until("message").path("text").asText());
      assertEquals("bot", customer.until("closed").path("reason").asText());
    }
    JsonNode listed = http.expect(200, "GET", t + "/callbacks", s.adminToken(), null);
    assertEquals(1, listed.size(), listed.toString());
    assertEquals("bot", listed.get(0).path("source").asText());
    assertEquals("010-****-6666", listed.get(0).path("phone").asText());
    assertEquals("OPEN", listed.get(0).path("state").asText());
  }

  /** Which of the two agents holds the claim on {@code id}: the one whose queue shows it as theirs. */
  private static String winnerOf(String t, long id, String kim, String lee) {
    for (JsonNode row : server.http().expect(200, "GET", t + "/callbacks?view=queue", kim, null)) {
      if (row.path("id").asLong() == id && row.path("mine").asBoolean()) {
        return kim;
      }
    }
    return lee;
  }

  private static JsonNode find(JsonNode list, long id) {
    for (JsonNode row : list) {
      if (row.path("id").asLong() == id) {
        return row;
      }
    }
    throw new AssertionError("no callback " + id + " in " + list);
  }

  private static Callable<Http.Response> claim(String t, long id, String token) {
    return () -> server.http().send("POST", t + "/callbacks/" + id + "/claim", token, null);
  }

  /** Keys and values; a null value leaves the key out of the frame. */
  private static Map<String, Object> changes(Object... keysAndValues) {
    Map<String, Object> changes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      changes.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return changes;
  }

  /** A callback request with the changes to a good one is refused with {@code code}, naming {@code field}. */
  private static void refused(WsClient customer, String field, String code, Map<String, Object> changes) {
    com.fasterxml.jackson.databind.node.ObjectNode frame = of("type", "callback", "rid", "bad", "queue", "card",
        "phone", "010-1234-5678", "clientId", "bad-" + field);
    changes.forEach((k, v) -> {
      if (v == null) {
        frame.remove(k);
      } else {
        frame.set(k, io.sangdam.testing.Json.MAPPER.valueToTree(v));
      }
    });
    JsonNode error = customer.send(frame).next("error");
    assertEquals(code, error.path("code").asText(), error.toString());
    assertTrue(error.path("message").asText().contains(field), error.toString());
  }

  private static String agent(TestServer.Setup s, String username, String center, String queue) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username",
        username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", "AGENT", "center", center, "queues",
        List.of(queue)));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static Map<String, Object> allWeek() {
    Map<String, Object> week = new java.util.LinkedHashMap<>();
    for (String day : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
      week.put(day, List.of(List.of("00:00", "24:00")));
    }
    return week;
  }

  private static List<List<String>> nine() {
    return List.of(List.of("09:00", "18:00"));
  }
}
