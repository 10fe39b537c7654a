package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * Every screen of the three apps, in Korean and in English, with a tenant whose data fills them (two centers, queues
 * of each policy, agents, a waiting, an assigned and a rated closed conversation, categories, canned answers, a
 * callback, a bot, a channel, today's figures): each is photographed (target/screenshots/every-<app>-<screen>-<lang>)
 * and its rendered text, with the titles, placeholders and labels read aloud, is scanned for what a person must never
 * read: internal codes, raw timestamps, the script's own words (undefined, NaN), the server's English on a Korean
 * screen, Korean left on an English one (but for the names this test's data gives). A test fails listing every leak
 * of every screen it saw, so that one run shows all there is to fix.
 */
class EveryScreenBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  /** Never on any screen, in either language. */
  private static final List<String> CODES = List.of("LEAST_BUSY", "ROUND_ROBIN", "CENTER_MANAGER", "TENANT_ADMIN",
      "HQ_ADMIN", "OFFLINE_FORM", "pii.unmask", "manage.put", "manage.post", "stats.export", "auth.login",
      "supervision.", "0:0:0:0:0:0:0:1", "[object", " of message ", "#0 of");
  private static final List<Pattern> CODE_PATTERNS = List.of(Pattern.compile("\\b(AGENT|WAITING|ASSIGNED|CLOSED|"
      + "ABANDONED|MANUAL|ONLINE|OFFLINE|AWAY|HOLD|BOT|WEB|KAKAO|NAVER_TALKTALK|CUSTOM)\\b"),
      Pattern.compile("\\b(undefined|null|NaN|Infinity)\\b"), Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}"),
      Pattern.compile("\\{\\w+}"));
  /** On a Korean screen: the server's English for developers, and scope words. */
  private static final List<Pattern> ENGLISH_ON_KOREAN = List.of(
      Pattern.compile("(?i)must match|must be|not found|invalid|field '|error:|unauthori[sz]ed|forbidden"),
      Pattern.compile("\\b(tenant|center|queue|scope|agent|customer|system)\\b"));
  /**
   * The codes this test's data gives its centers and queues: shown only where an administrator types them (the
   * management screens, the bot's scenarios and entries, the audit log); everywhere else by their names.
   */
  private static final Pattern DATA_CODES = Pattern.compile("\\b(seoul|busan|card|loan|guide|general)\\b");
  private static final Pattern TYPED_CODES_SCREENS = Pattern.compile(".*(manage(-.*)?|bot|audit)$");
  private static final Pattern HANGUL = Pattern.compile("[\\uAC00-\\uD7A3\\u3131-\\u318E]");

  /**
   * The Korean this test's data itself gives (names, messages, the bot's words, the widget's texts): data, not labels,
   * so an English screen may show it. Longest first, so that a name inside a longer text is taken with it.
   */
  private static final List<String> KOREAN_DATA = List.of("안녕하세요, 한빛카드입니다. 무엇을 도와드릴까요?",
      "1. 수집 항목: 이름, 연락처", "2. 이용 목적: 상담 요청에 대한 회신", "3. 보유 기간: 상담 종료 후 3년",
      "안녕하세요, 무엇을 도와드릴까요?", "무엇을 도와드릴까요?", "카드를 잃어버렸어요", "대출 문의입니다", "카드 분실 신고",
      "확인해 드리겠습니다", "친절했어요", "상담원 연결", "처음으로", "한빛카드 고객센터", "한빛카드", "해지 방법 안내",
      "분실·도난", "박센터장", "최관리", "김상담", "이상담", "홍길동", "이영희", "홍*동", "이*희", "한도", "분실", "인사", "서울", "부산",
      "카드", "대출", "일반", "안내", "상담봇", "한국어");

  /** The Korean names of the away reasons every tenant starts with: data where the admin edits them. */
  private static final String[] SEEDED_AWAY_REASONS = {"휴식", "식사", "교육", "회의", "후처리"};

  private static final String SCENARIO = """
      {"name": "상담봇", "start": "menu", "fallback": {"text": "상담원 연결", "next": "agent"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?", "buttons": [
           {"id": "talk", "label": "상담원 연결", "next": "agent"},
           {"id": "again", "label": "처음으로", "next": "menu"}]},
         {"id": "agent", "type": "handoff", "text": "상담원 연결", "queue": "card"}
       ]}
      """;

  /** What the data of one tenant is, for the screens to be visited with. */
  private record Filled(TestServer.Setup s, String t, long closed) {}

  private final List<String> leaks = new ArrayList<>();

  private static String url(String app) {
    return "http://127.0.0.1:" + server.port() + "/" + app + "/";
  }

  private static void user(TestServer.Setup s, String username, String role, String center, String name) {
    JsonNode body = center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", name, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", name, "role", role, "center", center,
            "queues", role.equals("AGENT") ? List.of("card") : List.of());
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), body);
  }

  /**
   * A tenant with two centers (부산 in another time zone, on a holiday today, so its widget is out of hours), queues of
   * each policy, two agents, a manager and a tenant admin, a category tree, a canned answer, a bot greeting at the
   * 안내 queue, a channel, and a closed, rated conversation: today's figures.
   */
  private static Filled fill() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    String admin = s.adminToken();
    server.http().expect(201, "POST", t + "/centers/seoul/queues", admin,
        of("code", "loan", "name", "대출", "policy", "MANUAL"));
    server.http().expect(201, "POST", t + "/centers/seoul/queues", admin,
        of("code", "guide", "name", "안내", "policy", "ROUND_ROBIN"));
    server.http().expect(200, "PUT", t + "/users/kim", admin, of("queues", List.of("card", "loan", "guide")));
    server.http().expect(201, "POST", t + "/centers", admin, of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", t + "/centers/busan/queues", admin,
        of("code", "general", "name", "일반", "policy", "LEAST_BUSY"));
    ZoneId la = ZoneId.of("America/Los_Angeles");
    Map<String, Object> week = new LinkedHashMap<>();
    for (String day : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
      week.put(day, List.of(List.of("09:00", "18:00")));
    }
    LocalDate today = LocalDate.now(la);
    server.http().expect(200, "PUT", t + "/centers/busan/hours", admin, of("timezone", la.getId(), "weekly", week,
        "holidays", List.of(today.toString(), today.plusDays(1).toString()), "outOfHours", "OFFLINE_FORM"));
    user(s, "lee", "AGENT", "seoul", "이상담");
    user(s, "boss", "CENTER_MANAGER", "seoul", "박센터장");
    user(s, "chief", "TENANT_ADMIN", null, "최관리");
    long card = server.http().expect(201, "POST", t + "/categories", admin, of("name", "카드")).path("id").asLong();
    server.http().expect(201, "POST", t + "/categories", admin, of("name", "분실", "parent", card));
    server.http().expect(201, "POST", t + "/canned", admin, of("title", "인사", "shortcut", "hi",
        "body", "안녕하세요, 무엇을 도와드릴까요?"));
    long scenario = server.http().expect(201, "POST", t + "/scenarios", admin, Json.parse(SCENARIO))
        .path("id").asLong();
    server.http().expect(200, "PUT", t + "/scenario-entries", admin,
        of("center", "seoul", "queue", "guide", "scenario", scenario));
    server.http().expect(201, "POST", t + "/channels", admin, of("code", "app", "kind", "CUSTOM", "center", "seoul",
        "queue", "card", "outboundUrl", "http://127.0.0.1:9/out"));


    long closed;
    try (WsClient agent = server.agent(); WsClient rated = server.customer(); WsClient waiting = server.customer();
        WsClient caller = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      rated.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "이영희")).next("welcome");
      closed = rated.send(of("type", "start", "queue", "card", "text", "카드를 잃어버렸어요")).next("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");
      agent.send(of("type", "send", "conversation", closed, "cmid", "a1", "text", "확인해 드리겠습니다")).until("ack");
      agent.send(of("type", "close", "conversation", closed, "category", card)).until("closed");
      rated.send(of("type", "rate", "conversation", closed, "score", 5, "comment", "친절했어요")).until("rated");
      // An anonymous customer waits in the MANUAL queue: nobody is given it until an agent picks it.
      waiting.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      waiting.send(of("type", "start", "queue", "loan", "text", "대출 문의입니다")).next("started");
      caller.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      String slot = caller.send(of("type", "callbackSlots", "rid", "s")).next("callbackSlots").path("slots").get(0)
          .asText();
      caller.send(of("type", "callback", "rid", "c", "queue", "card", "slot", slot, "phone", "010-1234-5678",
          "clientId", "every-1")).next("callbackStored");
      agent.send(of("type", "status", "status", "OFFLINE")).until("status");
    }
    return new Filled(s, t, closed);
  }

  /** Everything a screen says: its text, the visible choices, and the titles, placeholders and labels read aloud. */
  private static String screenText(Browser browser) {
    return (String) browser.script("""
        const shown = (n) => n.getClientRects().length > 0 && getComputedStyle(n).visibility !== 'hidden';
        const said = [document.title, document.body.innerText];
        for (const s of document.querySelectorAll('select')) {
          if (shown(s)) { said.push(...[...s.options].map((o) => o.text)); }
        }
        for (const n of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
          if (shown(n) || n.tagName === 'IFRAME') {
            said.push(n.getAttribute('title') || '', n.getAttribute('placeholder') || '', n.getAttribute('aria-label') || '');
          }
        }
        return said.filter((s) => s).join('\\n');""");
  }

  /**
   * Photographs the screen and notes each line that leaks, naming the screen; the test fails on them at its end.
   * {@code koreanData}: more Korean this screen shows as data (the away reasons' Korean names, edited beside their
   * English ones).
   */
  private void look(Browser browser, String app, String screen, boolean english, String... koreanData) {
    String name = "every-" + app + "-" + screen + "-" + (english ? "en" : "ko");
    browser.screenshot(name);
    for (String line : screenText(browser).split("\n")) {
      for (String code : CODES) {
        if (line.contains(code)) {
          leak(name + ": '" + code + "' in: " + line.strip());
        }
      }
      List<Pattern> patterns = new ArrayList<>(CODE_PATTERNS);
      if (!TYPED_CODES_SCREENS.matcher(screen).matches()) {
        patterns.add(DATA_CODES);
      }
      if (!english) {
        patterns.addAll(ENGLISH_ON_KOREAN);
      }
      for (Pattern p : patterns) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          leak(name + ": '" + m.group() + "' in: " + line.strip());
        }
      }
      if (english) {
        String rest = line;
        for (String data : KOREAN_DATA) {
          rest = rest.replace(data, "");
        }
        for (String data : koreanData) {
          rest = rest.replace(data, "");
        }
        if (HANGUL.matcher(rest).find()) {
          leak(name + ": Korean in English: " + line.strip());
        }
      }
    }
  }

  /** Noted, and printed at once: a step that fails later must not hide the leaks seen before it. */
  private void leak(String what) {
    System.out.println("LEAK " + what);
    leaks.add(what);
  }

  private void noLeaks() {
    assertTrue(leaks.isEmpty(), leaks.size() + " leak(s):\n" + String.join("\n", leaks));
  }

  private static void language(Browser browser, boolean english) {
    String now = (String) browser.script("return document.documentElement.lang");
    if (english != "en".equals(now)) {
      browser.visible("#language").click();
    }
    browser.showing("#language", english ? "한국어" : "English");
  }

  @Test
  void everyScreenOfTheAdminConsole() {
    Filled f = fill();
    TestServer.Setup s = f.s();
    try (WsClient agent = server.agent(); WsClient customer = server.customer(); WsClient waiting = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      // Another anonymous customer waits in the MANUAL queue, and stays (the data's own has left by now).
      waiting.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      waiting.send(of("type", "start", "queue", "loan", "text", "대출 문의입니다")).next("started");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long assigned = customer.send(of("type", "start", "queue", "card", "text", "카드를 잃어버렸어요")).next("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");
      agent.send(of("type", "status", "status", "AWAY", "reason", "meal")).until("status");

      try (Browser admin = Browser.open()) {
        admin.logIn(url("admin"), s.tenant(), "chief", TestServer.STAFF_PASSWORD);
        admin.visible("#nav button[data-view='dashboard']");
        for (boolean english : List.of(false, true)) {
          language(admin, english);
          tenantAdminScreens(admin, f, assigned, english);
        }
      }
      try (Browser manager = Browser.open()) {
        manager.logIn(url("admin"), s.tenant(), "boss", TestServer.STAFF_PASSWORD);
        manager.visible("#center-detail");
        for (boolean english : List.of(false, true)) {
          language(manager, english);
          manager.visible("#nav button[data-view='dashboard']").click();
          manager.showing("#live tbody", "홍*동");
          manager.visible("#queues tbody tr");
          look(manager, "admin", "manager-dashboard", english);
          manager.visible("#nav button[data-view='stats']").click();
          manager.visible("#stats-form button[type=submit]").click();
          manager.visible("#stats-total dd");
          look(manager, "admin", "manager-stats", english);
          manager.visible("#nav button[data-view='manage']").click();
          manager.visible("#manage-list tbody tr");
          look(manager, "admin", "manager-manage", english);
          manager.visible("#nav button[data-view='widget']").click();
          manager.until("return /^#[0-9a-f]{6}$/.test(document.getElementById('widget-color').value)");
          look(manager, "admin", "manager-widget", english);
        }
      }
      try (Browser hq = Browser.open()) {
        hq.logIn(url("admin"), null, "admin", TestServer.ADMIN_PASSWORD);
        hq.visible(".card[data-center='" + s.tenant() + "/seoul']");
        for (boolean english : List.of(false, true)) {
          language(hq, english);
          hq.visible("#nav button[data-view='dashboard']").click();
          hq.visible(".card[data-center='" + s.tenant() + "/seoul']");
          look(hq, "admin", "hq-dashboard", english);
          hq.visible("#nav button[data-view='stats']").click();
          hq.visible("#stats-from");
          hq.choose("#stats-tenant", "*");
          hq.visible("#stats-form button[type=submit]").click();
          hq.visible("#stats-tenants-table tbody tr");
          look(hq, "admin", "hq-stats", english);
          hq.visible("#stats-compare-button").click();
          hq.visible("#stats-compare-table tbody tr");
          look(hq, "admin", "hq-compare", english);
        }
      }
    }
    noLeaks();
  }

  private void tenantAdminScreens(Browser admin, Filled f, long assigned, boolean english) {
    TestServer.Setup s = f.s();
    admin.visible("#nav button[data-view='dashboard']").click();
    admin.click(".card[data-center='" + s.tenant() + "/seoul']");
    admin.showing("#live tbody", "홍*동");
    admin.visible("#agents tbody tr[data-agent='kim']");
    look(admin, "admin", "dashboard-center", english);
    admin.visible("#live tbody tr[data-conversation='" + assigned + "'] button").click();
    admin.showing("#watch-log", "카드를 잃어버렸어요");
    look(admin, "admin", "supervise", english);
    admin.visible("#unwatch").click();
    admin.visible("#back").click();
    admin.visible(".card[data-center='" + s.tenant() + "/busan']");
    look(admin, "admin", "dashboard", english);

    admin.visible("#nav button[data-view='wallboard']").click();
    admin.visible("#board-queues *");
    look(admin, "admin", "wallboard", english);
    admin.visible("#board-edit").click();
    admin.visible("#board-limits tbody tr");
    look(admin, "admin", "wallboard-limits", english);
    admin.visible("#board-limits-cancel").click();

    admin.visible("#nav button[data-view='stats']").click();
    admin.visible("#stats-form button[type=submit]").click();
    admin.showing("#stats-total dd[data-figure='offered']", "1");
    admin.visible("#stats-agents tbody tr");
    look(admin, "admin", "stats", english);
    admin.choose("#stats-interval", "hour");
    admin.visible("#stats-form button[type=submit]").click();
    admin.visible("#stats-table tbody tr");
    look(admin, "admin", "stats-hourly", english);
    admin.choose("#stats-interval", "day");
    admin.visible("#stats-compare-button").click();
    admin.visible("#stats-compare-table tbody tr");
    look(admin, "admin", "stats-compare", english);

    admin.visible("#nav button[data-view='search']").click();
    admin.visible("#search-form button[type=submit]").click();
    admin.visible("#search-results tbody tr[data-conversation='" + f.closed() + "']").click();
    admin.visible("#transcript-messages li");
    look(admin, "admin", "search-transcript", english);

    admin.visible("#nav button[data-view='manage']").click();
    for (String entity : List.of("tenants", "centers", "queues", "users", "canned", "categories", "awayReasons")) {
      admin.click("#manage-tabs button[data-entity='" + entity + "']");
      admin.visible("#manage-list tbody tr, #manage-tree li");
      String[] data = entity.equals("awayReasons") ? SEEDED_AWAY_REASONS : new String[0];
      look(admin, "admin", "manage-" + entity, english, data);
      if (!admin.all("#manage-new").get(0).isDisplayed()) {
        continue; // a tenant admin adds no tenants
      }
      admin.visible("#manage-new").click();
      admin.visible("#manage-fields label");
      look(admin, "admin", "manage-" + entity + "-form", english, data);
      admin.visible("#manage-cancel").click();
    }
    admin.visible("#manage-tabs button[data-entity='centers']").click();
    admin.visible("#manage-list tbody tr[data-key='busan'] button:nth-of-type(2)").click();
    admin.visible("#hours-days .day");
    look(admin, "admin", "manage-hours", english);
    admin.visible("#hours-cancel").click();
    admin.visible("#manage-list tbody tr[data-key='seoul'] button:nth-of-type(3)").click();
    admin.visible("#settings-fields label");
    look(admin, "admin", "manage-settings", english);
    admin.visible("#settings-cancel").click();

    admin.visible("#nav button[data-view='audit']").click();
    admin.visible("#audit-form button[type=submit]").click();
    admin.visible("#audit-list tbody tr");
    look(admin, "admin", "audit", english);

    admin.visible("#nav button[data-view='links']").click();
    admin.visible("#links-form button[type=submit]").click();
    look(admin, "admin", "links", english);

    admin.visible("#nav button[data-view='bot']").click();
    admin.click("#bot-scenarios tbody tr button");
    admin.visible("#bot-versions tbody tr");
    look(admin, "admin", "bot", english);
    admin.visible("#bot-editor-close").click();

    admin.visible("#nav button[data-view='callbacks']").click();
    admin.visible("#callbacks-form button[type='submit']").click();
    admin.visible("#callbacks-list tbody tr");
    look(admin, "admin", "callbacks", english);

    admin.visible("#nav button[data-view='widget']").click();
    admin.until("return /^#[0-9a-f]{6}$/.test(document.getElementById('widget-color').value)");
    look(admin, "admin", "widget-settings", english);
  }

  @Test
  void everyScreenOfTheAgentConsole() {
    Filled f = fill();
    TestServer.Setup s = f.s();
    // The idle warning comes a second after the agent's last word, and says when the chat will close.
    server.http().expect(200, "PUT", f.t() + "/centers/seoul/settings", s.adminToken(),
        of("idleWarningSeconds", 1, "idleCloseSeconds", 300));
    try (Browser agent = Browser.open(); WsClient customer = server.customer()) {
      agent.logIn(url("agent"), s.tenant(), "kim", "agent-pass-1");
      agent.visible("#console");
      agent.showing("#offline-banner", "오프라인");
      look(agent, "agent", "offline", false);
      agent.visible("#go-online").click();
      agent.until("return document.getElementById('offline-banner').hidden");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "카드 분실 신고")).next("started");
      customer.next("assigned");
      agent.visible("#chats li").click();
      agent.visible("#text").sendKeys("확인해 드리겠습니다", Keys.ENTER);
      agent.showing("#messages", "5분");
      agent.visible("#waiting li");
      agent.showing("#closed-today", "이*희");
      agent.visible("#callback-list li");
      for (boolean english : List.of(false, true)) {
        language(agent, english);
        agent.visible("#chats li").click();
        agent.visible("#profile");
        look(agent, "agent", "desk-chat", english);
        agent.visible("#customer-edit").click();
        agent.visible("#customer-form");
        look(agent, "agent", "customer-edit", english);
        agent.visible("#customer-cancel").click();
        agent.visible("#transfer").click();
        agent.visible("#transfer-form");
        agent.until("return document.querySelectorAll('#to-agent option').length > 1");
        look(agent, "agent", "transfer", english);
        agent.visible("#transfer-cancel").click();
        agent.visible("#close").click();
        agent.visible("#close-form");
        look(agent, "agent", "close-form", english);
        agent.visible("#close-cancel").click();
        agent.script("document.activeElement.blur()");
        agent.visible("#help-open").click();
        agent.visible("#help-dialog");
        look(agent, "agent", "shortcuts", english);
        agent.visible("#help-done").click();
        agent.visible("#alerts-open").click();
        agent.visible("#alerts-dialog");
        look(agent, "agent", "alerts", english);
        agent.visible("#alerts-done").click();
        // The status menu, its away reasons among the choices: the scan reads a select's choices.
        agent.until("return [...document.querySelectorAll('#status option')].some((o) => o.value === 'AWAY:meal')");
        look(agent, "agent", "status-menu", english);
        agent.visible("#closed-today li").click();
        agent.visible("#past-view");
        agent.visible("#past-messages li");
        look(agent, "agent", "past-chat", english);
        agent.visible("#past-back").click();
        server.awaitSearchIndex();
        agent.choose("#past-kind", "q");
        agent.visible("#past-query").clear();
        agent.visible("#past-query").sendKeys("잃어버렸");
        agent.visible("#past-form button[type=submit]").click();
        agent.visible("#past-results li");
        look(agent, "agent", "past-search", english);
      }
      language(agent, false);
      agent.visible("#callback-list li button.primary").click();
      agent.showing("#callback-list li .phone", "010-1234-5678");
      for (boolean english : List.of(false, true)) {
        language(agent, english);
        agent.visible("#callback-list .outcome");
        look(agent, "agent", "callback-calling", english);
      }
      language(agent, false);
      agent.choose("#status", "AWAY:meal");
      agent.visible("#offline-banner");
      for (boolean english : List.of(false, true)) {
        language(agent, english);
        look(agent, "agent", "away", english);
      }
    }
    noLeaks();
  }

  @Test
  void everyScreenOfTheWidget() {
    Filled f = fill();
    TestServer.Setup s = f.s();
    // The pre-chat form is asked of every start once it is on: set after the data's own chats.
    server.http().expect(200, "PUT", f.t() + "/centers/seoul/widget", s.adminToken(), of("title", "한빛카드 고객센터",
        "welcome", "안녕하세요, 한빛카드입니다. 무엇을 도와드릴까요?", "allowTranscript", true,
        "form", Map.of("enabled", true, "name", "OPTIONAL", "contact", "OPTIONAL", "inquiryTypes",
            List.of("분실·도난", "한도"), "consentRequired", true, "consentText",
            "1. 수집 항목: 이름, 연락처\n2. 이용 목적: 상담 요청에 대한 회신\n3. 보유 기간: 상담 종료 후 3년")));
    for (boolean english : List.of(false, true)) {
      String lang = english ? "en" : "ko";
      try (Browser page = Browser.exact(390, 844)) {
        page.go(url("widget") + "demo.html");
        page.script("document.body.replaceChildren(); document.title = '';"
            + "const s = document.createElement('script'); s.src = '/widget/embed.js';"
            + "s.dataset.tenant = arguments[0]; s.dataset.center = 'seoul'; s.dataset.lang = arguments[1];"
            + "document.body.append(s);", s.tenant(), lang);
        page.visible("body > button svg");
        look(page, "widget", "launcher", english);
        page.visible("body > button").click();
        page.visible("body > iframe");
        page.screenshot("every-widget-launcher-open-" + lang);
      }
      try (Browser widget = Browser.exact(390, 844); WsClient agent = server.agent()) {
        agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        widget.go(url("widget") + "?tenant=" + s.tenant() + "&center=seoul&lang=" + lang);
        widget.visible("#queue-list button[data-queue=card]");
        widget.visible("#prechat #pc-name");
        look(widget, "widget", "prechat", english);
        widget.visible("#queue-list button[data-queue=guide]").click();
        widget.visible("#start").click();
        widget.showing("#pc-consent-error", english ? "agree" : "동의");
        look(widget, "widget", "prechat-refused", english);
        widget.visible("#pc-name").sendKeys("홍길동");
        widget.choose("#pc-type", "분실·도난");
        widget.visible("#pc-consent").click();
        widget.visible("#start").click();
        widget.showing("#messages", "무엇을 도와드릴까요?");
        widget.visible("#messages button");
        look(widget, "widget", "bot-buttons", english);
        widget.visible("#messages li:last-child button").click();
        long id = agent.until("assigned").path("conversation").path("id").asLong();
        widget.showing("#messages", "김상담");
        agent.send(of("type", "send", "conversation", id, "cmid", "w-" + lang, "text", "확인해 드리겠습니다")).until("ack");
        widget.showing("#messages", "확인해 드리겠습니다");
        widget.visible("#text").sendKeys("카드를 잃어버렸어요", Keys.ENTER);
        agent.until("message");
        look(widget, "widget", "chat", english);
        agent.send(of("type", "close", "conversation", id)).until("closed");
        widget.visible("#rating");
        look(widget, "widget", "rating", english);
        widget.visible("#stars button[data-score='5']").click();
        widget.visible("#comment").sendKeys("친절했어요");
        widget.visible("#rate").click();
        widget.visible("#done-text");
        look(widget, "widget", "rated", english);
      }
      try (Browser widget = Browser.exact(390, 844)) {
        widget.go(url("widget") + "?tenant=" + s.tenant() + "&center=busan&lang=" + lang);
        widget.visible("#offline");
        widget.until("return document.querySelectorAll('#callback-slot option').length > 0");
        String slot = (String) widget.script("return document.getElementById('callback-slot').selectedOptions[0].text");
        assertTrue(slot.contains(english ? "Pacific" : "태평양"), "the center's slots in its zone, named: " + slot);
        look(widget, "widget", "out-of-hours", english);
        widget.visible("#callback-phone").sendKeys("123");
        widget.visible("#callback-request").click();
        widget.visible("#callback-error");
        look(widget, "widget", "callback-refused", english);
        widget.visible("#callback-phone").clear();
        widget.visible("#callback-phone").sendKeys("010-1234-5678");
        widget.visible("#callback-request").click();
        widget.visible("#done-text");
        look(widget, "widget", "callback-stored", english);
      }
    }
    assertEquals(2, server.http().expect(200, "GET", f.t() + "/callbacks?center=busan", s.adminToken(), null).size());
    noLeaks();
  }
}
