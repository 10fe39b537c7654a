package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.bot.scenario.Node;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bot's REST: scenarios saved as versions, checked with every problem named by its node, the entries that say
 * where one greets, the FAQ with its limits and its "try a question"; roles, tenants, bad input and the audit log;
 * and that what is saved is what a new conversation is greeted with at once.
 */
class BotApiIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final Http http = server.http();

  /** A scenario greeting with {@code greeting} and handing off to {@code queue}. */
  private static String scenario(String greeting, String queue) {
    return """
        {"name": "인사 %s",
         "start": "hello",
         "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "hello", "type": "message", "text": "%s", "next": "agent"},
           {"id": "agent", "type": "handoff", "text": "연결합니다.", "queue": "%s"}
         ]}
        """.formatted(greeting, greeting, queue);
  }

  private static final String BUTTON_TO_NOWHERE = """
      {"name": "고장난 메뉴", "start": "menu", "fallback": {"text": "다시 골라 주세요.", "next": "menu"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?",
          "buttons": [{"id": "a", "label": "상담원", "next": "agent"}, {"id": "b", "label": "끝", "next": "nowhere"}]},
         {"id": "agent", "type": "handoff", "queue": "card"}
       ]}
      """;

  private String user(TestServer.Setup s, String username, String role, String center) {
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center", center));
    return http.login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static long tenantId(TestServer.Setup s) {
    return server.http().expect(200, "GET", "/api/tenants/" + s.tenant(), s.adminToken(), null).path("id").asLong();
  }

  private static String greeting(Optional<Scenario> scenario) {
    return scenario.map(x -> ((Node.Message) x.node(x.start())).text()).orElse("no bot");
  }

  @Test
  void aSaveIsANewVersionAndNewConversationsAreGreetedWithItAtOnce() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String base = "/api/tenants/" + s.tenant();
    long tenant = tenantId(s);
    long center = http.expect(200, "GET", base + "/centers/seoul", admin, null).path("id").asLong();
    long queue = http.expect(200, "GET", base + "/centers/seoul/queues/card", admin, null).path("id").asLong();

    JsonNode created = http.expect(201, "POST", base + "/scenarios", admin, scenario("첫 인사", "card"));
    long id = created.path("id").asLong();
    assertEquals(1, created.path("version").asInt());
    assertEquals("인사 첫 인사", created.path("name").asText());
    assertEquals("no bot", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));

    JsonNode entry = http.expect(200, "PUT", base + "/scenario-entries", admin, of("center", "seoul",
        "scenario", id));
    assertEquals("center", entry.path("level").asText());
    assertEquals(1, entry.path("scenario").path("version").asInt());
    assertEquals("첫 인사", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));

    JsonNode saved = http.expect(200, "PUT", base + "/scenarios/" + id, admin, scenario("둘째 인사", "card"));
    assertEquals(2, saved.path("version").asInt());
    assertEquals("둘째 인사", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")),
        "new conversations start on the new version");
    assertEquals("첫 인사", greeting(server.botLibrary().scenario(tenant, id, 1)), "the old one stays");

    JsonNode current = http.expect(200, "GET", base + "/scenarios/" + id, admin, null);
    assertEquals(2, current.path("version").asInt());
    assertEquals("둘째 인사", current.path("scenario").path("nodes").path(0).path("text").asText());
    assertEquals("admin", current.path("savedBy").asText());
    List<Integer> versions = new ArrayList<>();
    http.expect(200, "GET", base + "/scenarios/" + id + "/versions", admin, null)
        .forEach(v -> versions.add(v.path("version").asInt()));
    assertEquals(List.of(2, 1), versions);
    JsonNode first = http.expect(200, "GET", base + "/scenarios/" + id + "/versions/1", admin, null);
    assertEquals("첫 인사", first.path("scenario").path("nodes").path(0).path("text").asText());
    assertFalse(first.path("current").asBoolean());
    assertEquals(1, http.expect(200, "GET", base + "/scenarios", admin, null).size());

    assertEquals(404, http.send("GET", base + "/scenarios/" + id + "/versions/3", admin, null).status());
    assertEquals(404, http.send("GET", base + "/scenarios/" + id + "/versions/x", admin, null).status());
    assertEquals(404, http.send("GET", base + "/scenarios/999999", admin, null).status());
    assertEquals(404, http.send("PUT", base + "/scenarios/999999", admin, scenario("x", "card")).status());

    // A queue's entry is more specific than the center's; deleting it gives the center's back, then none.
    long other = http.expect(201, "POST", base + "/scenarios", admin, scenario("카드 큐", "card")).path("id").asLong();
    http.expect(200, "PUT", base + "/scenario-entries", admin, of("center", "seoul", "queue", "card",
        "scenario", other));
    assertEquals("카드 큐", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));
    assertEquals(2, http.expect(200, "GET", base + "/scenario-entries", admin, null).size());
    http.expect(204, "DELETE", base + "/scenario-entries", admin, of("center", "seoul", "queue", "card"));
    assertEquals("둘째 인사", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));
    assertEquals(404, http.send("DELETE", base + "/scenario-entries", admin, of("center", "seoul", "queue", "card"))
        .status(), "nothing left there");
    http.expect(204, "DELETE", base + "/scenario-entries", admin, of("center", "seoul"));
    assertEquals("no bot", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));
  }

  @Test
  void anInvalidScenarioIsRefusedWithEveryProblemNamingItsNode() {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    Http.Response refused = http.send("POST", base + "/scenarios", s.adminToken(), BUTTON_TO_NOWHERE);
    assertEquals(422, refused.status());
    assertEquals("invalid_field", refused.errorCode());
    JsonNode error = refused.body().path("error");
    assertTrue(error.path("message").asText().startsWith("node 'menu'"), error.toString());
    assertEquals("menu", error.path("problems").path(0).path("node").asText());
    assertEquals("buttons[1].next", error.path("problems").path(0).path("field").asText());
    assertEquals(0, http.expect(200, "GET", base + "/scenarios", s.adminToken(), null).size(), "nothing saved");

    JsonNode dryRun = http.expect(200, "POST", base + "/scenarios/validate", s.adminToken(), BUTTON_TO_NOWHERE);
    assertFalse(dryRun.path("valid").asBoolean());
    assertEquals("menu", dryRun.path("problems").path(0).path("node").asText());
    JsonNode fine = http.expect(200, "POST", base + "/scenarios/validate", s.adminToken(), scenario("안녕", "card"));
    assertTrue(fine.path("valid").asBoolean());
    assertEquals(0, fine.path("problems").size());

    // Another tenant's queue is no queue of this one.
    TestServer.Setup other = server.setUp();
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/centers/seoul/queues", other.adminToken(),
        of("code", "vip", "name", "VIP", "policy", "LEAST_BUSY"));
    Http.Response foreign = http.send("POST", base + "/scenarios", s.adminToken(), scenario("안녕", "vip"));
    assertEquals(422, foreign.status());
    assertEquals("agent", foreign.body().path("error").path("problems").path(0).path("node").asText());
    assertEquals("queue", foreign.body().path("error").path("problems").path(0).path("field").asText());

    long id = http.expect(201, "POST", base + "/scenarios", s.adminToken(), scenario("안녕", "card")).path("id")
        .asLong();
    Http.Response badSave = http.send("PUT", base + "/scenarios/" + id, s.adminToken(), BUTTON_TO_NOWHERE);
    assertEquals(422, badSave.status());
    assertEquals("menu", badSave.body().path("error").path("problems").path(0).path("node").asText());
    assertEquals(1, http.expect(200, "GET", base + "/scenarios/" + id, s.adminToken(), null).path("version").asInt(),
        "no version added");
  }

  @Test
  void badInputIsRefusedWithItsCodeAndNothingChanges() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String base = "/api/tenants/" + s.tenant();
    long id = http.expect(201, "POST", base + "/scenarios", admin, scenario("안녕", "card")).path("id").asLong();
    long faq = http.expect(201, "POST", base + "/faq", admin, of("question", "상담 시간이 어떻게 되나요?", "answer",
        "평일 9시부터 6시까지예요.")).path("id").asLong();

    for (String[] call : new String[][] {{"POST", "/scenarios"}, {"PUT", "/scenarios/" + id},
        {"POST", "/scenarios/validate"}, {"PUT", "/scenario-entries"}, {"DELETE", "/scenario-entries"},
        {"POST", "/faq"}, {"PUT", "/faq/" + faq}, {"POST", "/faq/try"}}) {
      Http.Response r = http.send(call[0], base + call[1], admin, "{\"name\": ");
      assertEquals(400, r.status(), call[0] + " " + call[1]);
      assertEquals("bad_json", r.errorCode());
    }
    assertEquals(422, http.send("POST", base + "/scenarios", admin, "{}").status());

    String entries = base + "/scenario-entries";
    assertRefused(422, "field 'center' names no center", http.send("PUT", entries, admin, of("center", "busan",
        "scenario", id)));
    assertRefused(422, "field 'queue' names no queue", http.send("PUT", entries, admin, of("center", "seoul",
        "queue", "nope", "scenario", id)));
    assertRefused(422, "field 'channel' names no channel", http.send("PUT", entries, admin, of("channel", "kakao",
        "scenario", id)));
    assertRefused(422, "field 'channel' names a place by itself", http.send("PUT", entries, admin, of("channel",
        "kakao", "center", "seoul", "scenario", id)));
    assertRefused(422, "field 'scenario' names no scenario", http.send("PUT", entries, admin, of("center", "seoul",
        "scenario", 999999)));
    assertRefused(422, "field 'center' is required", http.send("PUT", entries, admin, of("scenario", id)));
    assertRefused(422, "field 'scenario' is required", http.send("PUT", entries, admin, of("center", "seoul")));
    assertEquals(0, http.expect(200, "GET", entries, admin, null).size());

    String faqs = base + "/faq";
    assertRefused(422, "field 'question' must be 1 to 200", http.send("POST", faqs, admin, of("question",
        "가".repeat(201), "answer", "a")));
    assertRefused(422, "field 'question' is required", http.send("POST", faqs, admin, of("answer", "a")));
    assertRefused(422, "field 'answer' must be 1 to 2000", http.send("POST", faqs, admin, of("question", "q",
        "answer", "가".repeat(2001))));
    assertRefused(422, "field 'alternatives' must be at most 20", http.send("POST", faqs, admin, of("question", "q",
        "answer", "a", "alternatives", Collections.nCopies(21, "x"))));
    assertRefused(422, "field 'alternatives[1]' must be 1 to 200", http.send("POST", faqs, admin, of("question", "q",
        "answer", "a", "alternatives", List.of("x", "가".repeat(201)))));
    assertRefused(422, "field 'alternatives[0]' must be a string", http.send("POST", faqs, admin, of("question", "q",
        "answer", "a", "alternatives", List.of(3))));
    assertRefused(422, "field 'alternatives' must be an array", http.send("PUT", faqs + "/" + faq, admin,
        of("alternatives", "x")));
    assertRefused(422, "field 'enabled' must be true or false", http.send("PUT", faqs + "/" + faq, admin,
        of("enabled", "yes")));
    assertRefused(422, "field 'text' must be at most 500", http.send("POST", faqs + "/try", admin, of("text",
        "가".repeat(501))));
    assertRefused(422, "field 'text' must not be blank", http.send("POST", faqs + "/try", admin, of("text", " ")));
    assertEquals(1, http.expect(200, "GET", faqs, admin, null).size());
    assertEquals("상담 시간이 어떻게 되나요?", http.expect(200, "GET", faqs + "/" + faq, admin, null).path("question")
        .asText());
    assertEquals(404, http.send("PUT", faqs + "/999999", admin, of("answer", "a")).status());
    assertEquals(404, http.send("DELETE", faqs + "/abc", admin, null).status());

    // Over the server's limit of a request body (1 MiB): refused before it is read.
    byte[] big = ("{\"question\":\"" + "가".repeat(400_000) + "\",\"answer\":\"a\"}").getBytes(StandardCharsets.UTF_8);
    assertEquals(413, http.sendRaw("POST", faqs, admin, big).status());
  }

  @Test
  void theFaqIsKeptAndTriedAsTheBotWouldMatchIt() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String faqs = "/api/tenants/" + s.tenant() + "/faq";
    JsonNode lost = http.expect(201, "POST", faqs, admin, of("question", "카드를 분실했어요. 어떻게 해야 하나요?",
        "alternatives", List.of("카드 분실 신고", "카드를 잃어버렸어요"), "answer", "앱에서 분실 신고를 해 주세요."));
    assertTrue(lost.path("enabled").asBoolean());
    http.expect(201, "POST", faqs, admin, of("question", "카드 비밀번호를 잊어버렸어요", "alternatives",
        List.of("카드 비밀번호 변경"), "answer", "앱에서 바꾸실 수 있어요."));
    http.expect(201, "POST", faqs, admin, of("question", "로그인 비밀번호를 잊어버렸어요", "alternatives",
        List.of("비밀번호 재설정"), "answer", "로그인 화면에서 재설정하세요."));
    JsonNode hours = http.expect(201, "POST", faqs, admin, of("question", "상담 시간이 어떻게 되나요?", "answer",
        "평일 9시부터 6시까지예요.", "enabled", false));

    JsonNode confident = http.expect(200, "POST", faqs + "/try", admin, of("text", "카드 잃어버렸어요"));
    assertEquals("confident", confident.path("verdict").asText());
    assertEquals(lost.path("id").asLong(), confident.path("candidates").path(0).path("id").asLong());
    assertTrue(confident.path("candidates").path(0).path("score").asDouble() > 0.3, confident.toString());
    JsonNode unsure = http.expect(200, "POST", faqs + "/try", admin, of("text", "비밀번호를 잊어버렸어요"));
    assertEquals("unsure", unsure.path("verdict").asText(), unsure.toString());
    assertTrue(unsure.path("candidates").size() >= 2);
    assertEquals("nothing", http.expect(200, "POST", faqs + "/try", admin, of("text", "상담 시간이 어떻게 되나요?"))
        .path("verdict").asText(), "a disabled entry is not matched");

    JsonNode enabled = http.expect(200, "PUT", faqs + "/" + hours.path("id").asLong(), admin, of("enabled", true));
    assertTrue(enabled.path("enabled").asBoolean());
    assertEquals("평일 9시부터 6시까지예요.", enabled.path("answer").asText(), "what was not given stays");
    assertEquals("confident", http.expect(200, "POST", faqs + "/try", admin, of("text", "상담 시간이 어떻게 되나요?"))
        .path("verdict").asText(), "matched from the change on");

    http.expect(204, "DELETE", faqs + "/" + lost.path("id").asLong(), admin, null);
    assertEquals(404, http.send("GET", faqs + "/" + lost.path("id").asLong(), admin, null).status());
    assertEquals(3, http.expect(200, "GET", faqs, admin, null).size());
    assertEquals(2, http.expect(200, "GET", faqs + "?limit=2", admin, null).size(), "paged");
    JsonNode gone = http.expect(200, "POST", faqs + "/try", admin, of("text", "카드 잃어버렸어요"));
    gone.path("candidates").forEach(c -> assertFalse(c.path("id").asLong() == lost.path("id").asLong()));
  }

  @Test
  void managersReadAgentsAndOtherTenantsSeeNothing() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String base = "/api/tenants/" + s.tenant();
    long id = http.expect(201, "POST", base + "/scenarios", admin, scenario("안녕", "card")).path("id").asLong();
    long faq = http.expect(201, "POST", base + "/faq", admin, of("question", "질문", "answer", "답")).path("id")
        .asLong();
    http.expect(200, "PUT", base + "/scenario-entries", admin, of("center", "seoul", "scenario", id));
    String chief = user(s, "chief", "TENANT_ADMIN", null);
    String manager = user(s, "boss", "CENTER_MANAGER", "seoul");

    http.expect(200, "PUT", base + "/scenarios/" + id, chief, scenario("안녕하세요", "card"));
    http.expect(200, "GET", base + "/scenarios/" + id, manager, null);
    assertEquals(1, http.expect(200, "GET", base + "/scenario-entries", manager, null).size());
    http.expect(200, "GET", base + "/faq", manager, null);
    http.expect(200, "POST", base + "/faq/try", manager, of("text", "질문"));
    assertEquals(403, http.send("PUT", base + "/scenarios/" + id, manager, scenario("x", "card")).status());
    assertEquals(403, http.send("POST", base + "/faq", manager, of("question", "q", "answer", "a")).status());
    assertEquals(403, http.send("DELETE", base + "/scenario-entries", manager, of("center", "seoul")).status());
    assertEquals(403, http.send("GET", base + "/scenarios", s.agentToken(), null).status());
    assertEquals(403, http.send("GET", base + "/faq", s.agentToken(), null).status());

    TestServer.Setup other = server.setUp();
    String otherBase = "/api/tenants/" + other.tenant();
    String otherChief = user(other, "chief", "TENANT_ADMIN", null);
    assertEquals(404, http.send("GET", base + "/scenarios", otherChief, null).status());
    assertEquals(404, http.send("GET", base + "/faq/" + faq, otherChief, null).status());
    assertEquals(403, http.send("GET", base + "/scenarios", other.agentToken(), null).status());
    assertEquals(404, http.send("GET", otherBase + "/scenarios/" + id, other.adminToken(), null).status(),
        "another tenant's scenario is not found by its id");
    assertEquals(404, http.send("PUT", otherBase + "/faq/" + faq, other.adminToken(), of("answer", "x")).status());
    assertRefused(422, "field 'scenario' names no scenario", http.send("PUT", otherBase + "/scenario-entries",
        other.adminToken(), of("center", "seoul", "scenario", id)));
  }

  @Test
  void changesAreAuditedAndDryRunsAreNot() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String base = "/api/tenants/" + s.tenant();
    long id = http.expect(201, "POST", base + "/scenarios", admin, scenario("안녕", "card")).path("id").asLong();
    http.expect(200, "PUT", base + "/scenarios/" + id, admin, scenario("안녕하세요", "card"));
    http.expect(200, "PUT", base + "/scenario-entries", admin, of("center", "seoul", "scenario", id));
    long faq = http.expect(201, "POST", base + "/faq", admin, of("question", "질문", "answer", "답")).path("id")
        .asLong();
    http.expect(204, "DELETE", base + "/faq/" + faq, admin, null);
    http.expect(200, "POST", base + "/scenarios/validate", admin, scenario("x", "card"));
    http.expect(200, "POST", base + "/faq/try", admin, of("text", "질문"));

    JsonNode audit = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant(), admin, null);
    List<String> rows = new ArrayList<>();
    audit.path("entries").forEach(row -> rows.add(row.path("action").asText() + " " + row.path("target").asText()));
    assertTrue(rows.contains("manage.post " + base + "/scenarios"), rows.toString());
    assertTrue(rows.contains("manage.put " + base + "/scenarios/" + id), rows.toString());
    assertTrue(rows.contains("manage.put " + base + "/scenario-entries"), rows.toString());
    assertTrue(rows.contains("manage.post " + base + "/faq"), rows.toString());
    assertTrue(rows.contains("manage.delete " + base + "/faq/" + faq), rows.toString());
    assertFalse(rows.stream().anyMatch(r -> r.endsWith("/validate") || r.endsWith("/try")), rows.toString());
  }

  /**
   * A scenario an entry greets with is not deleted (409 naming every such entry); once none does (a "no bot" entry
   * names none) it is: gone from the lists and from new entries, while a conversation walking its version goes on
   * to its end, and the version stays readable. Bad ids, roles and other tenants are refused, and nothing changes.
   */
  @Test
  void aScenarioInUseIsNotDeletedAndOneDeletedLetsItsConversationsGoOn() {
    TestServer.Setup s = server.setUp();
    String admin = s.adminToken();
    String base = "/api/tenants/" + s.tenant();
    long tenant = tenantId(s);
    long center = http.expect(200, "GET", base + "/centers/seoul", admin, null).path("id").asLong();
    long queue = http.expect(200, "GET", base + "/centers/seoul/queues/card", admin, null).path("id").asLong();
    long id = http.expect(201, "POST", base + "/scenarios", admin, """
        {"name": "작별", "start": "menu", "fallback": {"text": "다시 골라 주세요.", "next": "menu"},
         "nodes": [
           {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?",
            "buttons": [{"id": "bye", "label": "끝", "next": "end"}]},
           {"id": "end", "type": "end", "reason": "done", "text": "안녕히 가세요."}
         ]}
        """).path("id").asLong();
    String entries = base + "/scenario-entries";
    http.expect(200, "PUT", entries, admin, of("center", "seoul", "scenario", id));
    http.expect(200, "PUT", entries, admin, of("center", "seoul", "queue", "card", "scenario", id));

    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      JsonNode started = customer.send(of("type", "start", "rid", "s", "queue", s.queue())).next("started");
      assertEquals("BOT", started.path("conversation").path("state").asText(), started::toString);
      long conversation = started.path("conversation").path("id").asLong();
      assertEquals("무엇을 도와드릴까요?", customer.until("message").path("text").asText());
      // Search finds it by its state, in any case.
      JsonNode withBot = http.expect(200, "GET", base + "/conversations?state=bot", admin, null);
      assertEquals(1, withBot.path("conversations").size(), withBot::toString);
      assertEquals(conversation, withBot.path("conversations").get(0).path("id").asLong());
      assertEquals("BOT", withBot.path("conversations").get(0).path("state").asText());
      assertEquals(0, http.expect(200, "GET", base + "/conversations?state=WAITING", admin, null)
          .path("conversations").size());

      Http.Response inUse = http.send("DELETE", base + "/scenarios/" + id, admin, null);
      assertEquals(409, inUse.status(), inUse.body().toString());
      assertEquals("conflict", inUse.errorCode());
      assertEquals("scenario " + id + " greets at center seoul, queue seoul/card: set another scenario there, or "
          + "remove those entries, first", inUse.body().path("error").path("message").asText());
      assertEquals(1, http.expect(200, "GET", base + "/scenarios", admin, null).size(), "nothing deleted");

      String manager = user(s, "boss", "CENTER_MANAGER", "seoul");
      assertEquals(403, http.send("DELETE", base + "/scenarios/" + id, manager, null).status());
      TestServer.Setup other = server.setUp();
      String otherChief = user(other, "chief", "TENANT_ADMIN", null);
      assertEquals(404, http.send("DELETE", "/api/tenants/" + other.tenant() + "/scenarios/" + id, otherChief, null)
          .status(), "another tenant's scenario is not found by its id");
      assertEquals(404, http.send("DELETE", base + "/scenarios/abc", admin, null).status());
      assertEquals(404, http.send("DELETE", base + "/scenarios/999999", admin, null).status());

      http.expect(204, "DELETE", entries, admin, of("center", "seoul", "queue", "card"));
      http.expect(200, "PUT", entries, admin, "{\"center\": \"seoul\", \"scenario\": null}");
      http.expect(204, "DELETE", base + "/scenarios/" + id, admin, null);

      assertEquals(0, http.expect(200, "GET", base + "/scenarios", admin, null).size());
      assertEquals(404, http.send("GET", base + "/scenarios/" + id, admin, null).status());
      assertEquals(404, http.send("PUT", base + "/scenarios/" + id, admin, scenario("x", "card")).status());
      assertEquals(404, http.send("DELETE", base + "/scenarios/" + id, admin, null).status(), "deleted already");
      assertRefused(422, "field 'scenario' names no scenario", http.send("PUT", entries, admin, of("center",
          "seoul", "scenario", id)));
      JsonNode version = http.expect(200, "GET", base + "/scenarios/" + id + "/versions/1", admin, null);
      assertFalse(version.path("current").asBoolean(), version::toString);
      assertEquals("안녕히 가세요.", version.path("scenario").path("nodes").path(1).path("text").asText());
      assertEquals("no bot", greeting(server.botLibrary().scenarioFor(tenant, center, queue, "web")));

      // The conversation walking version 1 goes on to its end.
      customer.send(of("type", "send", "rid", "b", "conversation", conversation, "cmid", "b", "text", "끝",
          "button", "bye"));
      JsonNode said = customer.until("message");
      while (!said.path("from").asText().equals("bot")) {
        said = customer.until("message");
      }
      assertEquals("안녕히 가세요.", said.path("text").asText(), said::toString);
      assertEquals("bot", customer.until("closed").path("reason").asText());
    }
  }

  private static void assertRefused(int status, String messageStart, Http.Response r) {
    assertEquals(status, r.status(), r.body().toString());
    assertTrue(r.body().path("error").path("message").asText().startsWith(messageStart), r.body().toString());
  }
}
