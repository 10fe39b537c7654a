package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's management screens as a manager reads them (issue 18): lists to pick from where codes were
 * typed, a weekly hours editor with ranges and holidays, categories as a tree, the audit log in words, and the
 * server's refusals as sentences, at sign-in too; and no screen showing an internal code or the server's English, in
 * Korean or in English.
 */
class ManageFormsBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  /** What a person must never read on these screens: internal codes and the server's English for developers. */
  private static final List<String> NEVER_SHOWN = List.of("LEAST_BUSY", "ROUND_ROBIN", "CENTER_MANAGER",
      "TENANT_ADMIN", "HQ_ADMIN", "pii.unmask", "manage.put", "manage.post", "stats.export", "auth.login",
      "0:0:0:0:0:0:0:1", "invalid username or password", "field '", "/api/tenants", " of message ", "Error:");
  private static final Pattern AGENT_CODE = Pattern.compile("\\bAGENT\\b");
  private static final Pattern HANGUL = Pattern.compile(".*[\\uAC00-\\uD7A3].*");

  private static String admin() {
    return "http://127.0.0.1:" + server.port() + "/admin/";
  }

  private static String user(TestServer.Setup s, String username, String role, String center, String name) {
    JsonNode body = center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", name, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", name, "role", role, "center", center);
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), body);
    return TestServer.STAFF_PASSWORD;
  }

  private static void field(Browser browser, String name, String value) {
    browser.visible("#manage-fields [name='" + name + "']").sendKeys(value);
  }

  private static void tab(Browser browser, String entity) {
    browser.visible("#manage-tabs button[data-entity='" + entity + "']").click();
  }

  /**
   * Sets range {@code index} of {@code day} in the hours editor. A time input takes typed keys in the order of the
   * browser's locale (오전/오후 first in Korean), so the test sets the value as the picker would and says so.
   */
  static void range(Browser browser, String day, int index, String from, String to) {
    browser.visible("#hours-days .day[data-day='" + day + "'] .range");
    browser.script("const r = document.querySelectorAll(\"#hours-days .day[data-day='" + day + "'] .range\")[" + index
        + "]; r.querySelector('.from').value = '" + from + "'; r.querySelector('.to').value = '" + to + "';");
  }

  /** Picks a holiday in the date input (set as the picker would) and adds it. */
  static void holiday(Browser browser, String date) {
    browser.visible("#hours-holiday");
    browser.script("document.getElementById('hours-holiday').value = '" + date + "';");
    browser.visible("#hours-holiday-add").click();
    browser.visible("#hours-holidays li[data-date='" + date + "']");
  }

  private static String value(Browser browser, String css) {
    return (String) browser.script("return document.querySelector(\"" + css + "\").value");
  }

  /** Everything the screen shows: the rendered text, the choices of visible selects, placeholders. */
  private static String screenText(Browser browser) {
    return (String) browser.script("""
        const shown = (n) => n.offsetParent !== null;
        return [document.body.innerText,
          ...[...document.querySelectorAll('select')].filter(shown).flatMap((s) => [...s.options].map((o) => o.text)),
          ...[...document.querySelectorAll('input, textarea')].filter(shown).map((i) => i.placeholder || '')]
          .join('\\n');""");
  }

  /**
   * Fails if the screen shows a code or the server's English; in English, also any Korean outside {@code
   * koreanData} (CSS of parts that hold what people wrote in Korean: names are data, not labels).
   */
  private static void assertPlainWords(Browser browser, String screen, boolean english, String... koreanData) {
    String text = screenText(browser);
    for (String code : NEVER_SHOWN) {
      assertFalse(text.contains(code), screen + " shows '" + code + "':\n" + text);
    }
    Matcher agent = AGENT_CODE.matcher(text);
    assertFalse(agent.find(), screen + " shows the role code AGENT:\n" + text);
    if (english) {
      StringBuilder data = new StringBuilder();
      for (String css : koreanData) {
        data.append(browser.script("return [...document.querySelectorAll(\"" + css
            + "\")].map((n) => n.innerText).join('\\n')")).append('\n');
      }
      for (String line : text.split("\n")) {
        if (HANGUL.matcher(line).matches() && !line.strip().equals("한국어") && !data.toString().contains(line.strip())) {
          fail(screen + " shows Korean in English: '" + line + "'\n" + text);
        }
      }
    }
  }

  private static void english(Browser browser) {
    browser.visible("#language").click();
    browser.showing("#language", "한국어");
  }

  @Test
  void managementFormsOfferListsToPickFromAndTheListsShowNames() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", t + "/centers/seoul/queues", s.adminToken(),
        of("code", "loan", "name", "대출", "policy", "ROUND_ROBIN"));
    server.http().expect(201, "POST", t + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", t + "/centers/busan/queues", s.adminToken(),
        of("code", "general", "name", "일반", "policy", "MANUAL"));
    user(s, "boss", "CENTER_MANAGER", "seoul", "박센터장");
    String password = user(s, "chief", "TENANT_ADMIN", null, "Chief");
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']").click();
      tab(admin, "users");
      admin.showing("#manage-list tbody tr[data-key='boss']", "센터장");
      admin.showing("#manage-list tbody tr[data-key='kim']", "상담사");
      admin.showing("#manage-list tbody tr[data-key='kim']", "서울");
      admin.showing("#manage-list tbody tr[data-key='kim']", "카드");
      admin.showing("#manage-list tbody tr[data-key='chief']", "계열사 전체");

      admin.visible("#manage-new").click();
      field(admin, "username", "lee");
      field(admin, "password", "short");
      field(admin, "name", "이상담");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#notice", "비밀번호가 너무 짧습니다");
      admin.visible("#manage-cancel").click();
      admin.visible("#manage-new").click();
      field(admin, "username", "lee");
      field(admin, "password", TestServer.STAFF_PASSWORD);
      field(admin, "name", "이상담");
      admin.choose("#manage-fields select[name='role']", "TENANT_ADMIN");
      assertFalse(admin.all("#manage-fields select[name='center']").get(0).isDisplayed(), "a tenant admin has no center");
      admin.choose("#manage-fields select[name='role']", "AGENT");
      admin.choose("#manage-fields select[name='center']", "busan");
      admin.showing("#manage-fields fieldset[data-name='queues']", "일반");
      assertFalse(admin.visible("#manage-fields fieldset[data-name='queues']").getText().contains("카드"),
          "only the chosen center's queues");
      admin.choose("#manage-fields select[name='center']", "seoul");
      admin.showing("#manage-fields fieldset[data-name='queues']", "대출");
      admin.visible("#manage-fields fieldset[data-name='queues'] input[value='card']").click();
      admin.visible("#manage-fields fieldset[data-name='queues'] input[value='loan']").click();
      admin.screenshot("manage-user-pickers-ko");
      assertPlainWords(admin, "the user form", false);
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='lee']", "카드, 대출");
      JsonNode lee = server.http().expect(200, "GET", t + "/users/lee", s.adminToken(), null);
      assertEquals("seoul", lee.path("center").asText());
      assertEquals(Json.parse("[\"card\", \"loan\"]"), lee.path("queues"));

      tab(admin, "queues");
      admin.choose("#manage-center", "seoul");
      admin.showing("#manage-list tbody tr[data-key='card']", "여유 있는 상담사");
      admin.showing("#manage-list tbody tr[data-key='loan']", "순환 배정");
      admin.visible("#manage-new").click();
      field(admin, "code", "vip");
      field(admin, "name", "VIP");
      admin.choose("#manage-fields [name='policy']", "MANUAL");
      admin.choose("#manage-fields [name='overflowTo']", "busan/general");
      field(admin, "overflowAfterSeconds", "60");
      field(admin, "maxChatsPerAgent", "99");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#notice", "상담사당 최대 상담은(는) 1부터 50까지의 수로 넣어 주세요");
      admin.visible("#manage-fields [name='maxChatsPerAgent']").clear();
      field(admin, "maxChatsPerAgent", "3");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='vip']", "부산 · 일반");
      admin.showing("#manage-list tbody tr[data-key='vip']", "상담사가 선택");
      assertEquals("busan/general", server.http().expect(200, "GET", t + "/centers/seoul/queues/vip",
          s.adminToken(), null).path("overflowTo").asText());
      assertPlainWords(admin, "the queues", false);

      tab(admin, "canned");
      admin.visible("#manage-new").click();
      field(admin, "title", "인사");
      field(admin, "shortcut", "hi");
      field(admin, "body", "안녕하세요, 무엇을 도와드릴까요?");
      admin.choose("#manage-fields select[name='center']", "seoul");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody", "인사");
      admin.showing("#manage-list thead", "적용 범위");
      admin.showing("#manage-list tbody", "센터");

      english(admin);
      admin.showing("#manage-list thead", "Applies to");
      tab(admin, "users");
      admin.showing("#manage-list tbody tr[data-key='boss']", "Center manager");
      admin.showing("#manage-list tbody tr[data-key='kim']", "Agent");
      admin.visible("#manage-list tbody tr[data-key='lee'] button").click();
      admin.showing("#manage-form", "Role");
      admin.screenshot("manage-user-pickers-en");
      assertPlainWords(admin, "the user form in English", true, "#manage-list tbody", "#manage-fields .choices",
          "#manage-form-title", "#manage-center", "select[name='center']");
    }
  }

  @Test
  void theHoursEditorSavesRangesPerDayChecksThemFirstAndShowsThemAgain() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    String password = user(s, "chief", "TENANT_ADMIN", null, "Chief");
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']").click();
      admin.visible("#manage-list tbody tr[data-key='seoul'] button:nth-of-type(2)").click();
      admin.visible("#hours-always-note");
      assertEquals(1, admin.all("#hours-days .day[data-day='MON'] .range").size(), "a suggestion to start from");
      assertTrue((Boolean) admin.script("return document.querySelector(\"#hours-days .day[data-day='SUN'] .closed\")"
          + ".checked"), "Sunday closed");

      admin.visible("#hours-days .day[data-day='MON'] .add").click();
      range(admin, "MON", 0, "09:00", "12:00");
      range(admin, "MON", 1, "13:00", "18:00");
      admin.visible("#hours-days .day[data-day='MON'] .copy").click();
      admin.showing("#notice", "평일");
      assertEquals(2, admin.all("#hours-days .day[data-day='FRI'] .range").size(), "Monday copied to Friday");
      range(admin, "FRI", 1, "13:00", "00:00");
      admin.visible("#hours-days .day[data-day='SAT'] .closed").click();
      range(admin, "SAT", 0, "10:00", "14:00");
      holiday(admin, "2026-12-25");
      holiday(admin, "2027-01-01");

      range(admin, "TUE", 1, "18:00", "13:00");
      admin.visible("#hours-form button[type=submit]").click();
      admin.showing("#notice", "고칠 곳이 1군데");
      admin.showing("#hours-days .day[data-day='TUE'] .problem", "종료 시각이 시작 시각보다 늦어야 합니다");
      assertTrue(server.http().expect(200, "GET", t + "/centers/seoul/hours", s.adminToken(), null)
          .path("alwaysOpen").asBoolean(), "nothing sent while a day is wrong");
      range(admin, "TUE", 1, "11:00", "18:00");
      admin.visible("#hours-form button[type=submit]").click();
      admin.showing("#hours-days .day[data-day='TUE'] .problem", "겹칩니다");
      range(admin, "TUE", 1, "13:00", "18:00");
      admin.screenshot("manage-hours-ko");
      assertPlainWords(admin, "the hours editor", false);
      admin.visible("#hours-form button[type=submit]").click();
      admin.showing("#notice", "서울 운영시간을 저장했습니다");

      JsonNode hours = server.http().expect(200, "GET", t + "/centers/seoul/hours", s.adminToken(), null);
      JsonNode split = Json.parse("[[\"09:00\", \"12:00\"], [\"13:00\", \"18:00\"]]");
      for (String day : List.of("MON", "TUE", "WED", "THU")) {
        assertEquals(split, hours.path("weekly").path(day), day);
      }
      assertEquals(Json.parse("[[\"09:00\", \"12:00\"], [\"13:00\", \"24:00\"]]"), hours.path("weekly").path("FRI"),
          "an end of 00:00 is midnight");
      assertEquals(Json.parse("[[\"10:00\", \"14:00\"]]"), hours.path("weekly").path("SAT"));
      assertTrue(hours.path("weekly").path("SUN").isMissingNode(), "Sunday closed");
      assertEquals(Json.parse("[\"2026-12-25\", \"2027-01-01\"]"), hours.path("holidays"));

      admin.reload();
      admin.visible("#nav button[data-view='manage']").click();
      admin.visible("#manage-list tbody tr[data-key='seoul'] button:nth-of-type(2)").click();
      admin.visible("#hours-days .day[data-day='MON'] .range");
      assertEquals(2, admin.all("#hours-days .day[data-day='MON'] .range").size());
      assertEquals("13:00", value(admin, "#hours-days .day[data-day='MON'] .range:nth-child(2) .from"));
      assertEquals("00:00", value(admin, "#hours-days .day[data-day='FRI'] .range:nth-child(2) .to"));
      assertEquals("10:00", value(admin, "#hours-days .day[data-day='SAT'] .range .from"));
      assertEquals(2, admin.all("#hours-holidays li").size());
      assertFalse(admin.all("#hours-always-note").get(0).isDisplayed(), "hours are set now");

      // A value the editor does not offer (a stale or forged zone): the server's 422, as a sentence.
      admin.script("const z = document.getElementById('hours-timezone'); const o = document.createElement('option');"
          + "o.value = 'Mars/Olympus'; o.text = 'Mars'; z.append(o); z.value = 'Mars/Olympus';");
      admin.visible("#hours-form button[type=submit]").click();
      admin.showing("#notice", "시간대 값이 올바르지 않습니다");
      admin.script("document.getElementById('hours-timezone').value = 'Asia/Seoul';");

      english(admin);
      admin.showing("#hours-days .day[data-day='MON']", "Monday");
      admin.showing("#hours-form", "Holidays");
      admin.screenshot("manage-hours-en");
      assertPlainWords(admin, "the hours editor in English", true, "#manage-list tbody", "#manage-center",
          "#hours-title");
    }
  }

  @Test
  void categoriesAreShownAndEditedAsATree() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    String password = user(s, "chief", "TENANT_ADMIN", null, "Chief");
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']").click();
      tab(admin, "categories");
      admin.showing("#manage-tree", "아직 분류가 없습니다");
      admin.visible("#manage-new").click();
      field(admin, "name", "카드");
      assertEquals("", value(admin, "#manage-fields [name='parent']"), "a top-level category by default");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-tree", "카드");
      long card = server.http().expect(200, "GET", t + "/categories", s.adminToken(), null).get(0).path("id").asLong();

      admin.visible("#manage-tree li[data-key='" + card + "'] .add-child").click();
      assertEquals(String.valueOf(card), value(admin, "#manage-fields [name='parent']"), "under the one clicked");
      field(admin, "name", "분실");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-tree li[data-key='" + card + "'] ul", "분실");
      JsonNode lostRow = null;
      for (JsonNode c : server.http().expect(200, "GET", t + "/categories", s.adminToken(), null)) {
        lostRow = c.path("name").asText().equals("분실") ? c : lostRow;
      }
      long lost = lostRow.path("id").asLong();
      assertEquals(card, lostRow.path("parent").asLong());

      admin.visible("#manage-new").click();
      admin.choose("#manage-fields [name='parent']", String.valueOf(lost));
      field(admin, "name", "해외 분실");
      admin.visible("#manage-form button[type=submit]").click();
      String third = "#manage-tree li[data-key='" + card + "'] > ul > li[data-key='" + lost + "'] > ul > li";
      admin.showing(third, "해외 분실");
      admin.showing(third, "소분류");
      assertEquals(0, admin.all(third + " .add-child").size(), "three levels at most");
      admin.visible("#manage-new").click();
      assertEquals(3, admin.all("#manage-fields [name='parent'] option").size(),
          "none, 카드 and 분실: a third-level category takes no children");
      admin.visible("#manage-cancel").click();

      admin.visible("#manage-tree li[data-key='" + lost + "'] > .node button").click();
      admin.visible("#manage-fields [name='enabled']").click();
      admin.visible("#manage-form button[type=submit]").click();
      admin.visible("#manage-tree li[data-key='" + lost + "'] > .node.disabled");
      assertFalse(server.http().expect(200, "GET", t + "/categories/" + lost, s.adminToken(), null).path("enabled")
          .asBoolean());
      admin.screenshot("manage-categories-ko");
      assertPlainWords(admin, "the category tree", false);
      english(admin);
      admin.showing("#manage-tree", "Third level");
      admin.screenshot("manage-categories-en");
      assertPlainWords(admin, "the category tree in English", true, "#manage-tree .name", "#manage-center");
    }
  }

  @Test
  void theAuditLogSaysWhoDidWhatInWordsAndAddressesAsPeopleReadThem() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "chief", "TENANT_ADMIN", null, "Chief");
    long id;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "Hong")).next("welcome");
      id = customer.send(of("type", "start", "queue", "card", "text", "My number is 010-1234-5678"))
          .next("started").path("conversation").path("id").asLong();
      agent.until("assigned");
    }
    String chief = server.http().login(s.tenant(), "chief", password);
    long seq = 0;
    for (JsonNode m : server.http().expect(200, "GET", "/api/conversations/" + id, chief, null).path("messages")) {
      if (m.path("text").asText().contains("****")) {
        seq = m.path("seq").asLong();
      }
    }
    server.http().expect(200, "POST", "/api/conversations/" + id + "/unmask", chief, of("seq", seq, "item", 0));
    server.http().expect(200, "POST", "/api/conversations/" + id + "/unmask", chief, of("field", "customerName"));
    server.http().expect(401, "POST", "/api/login", null, of("tenant", s.tenant(), "username", "chief",
        "password", "wrong-password"));
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='audit']").click();
      admin.visible("#audit-form button[type=submit]").click();
      admin.showing("#audit-list tbody", "개인정보 열람");
      admin.showing("#audit-list tbody", "메시지 " + seq + "번의 휴대전화 번호 (1번째)");
      admin.showing("#audit-list tbody", "고객 이름");
      admin.showing("#audit-list tbody", "상담 #" + id);
      admin.showing("#audit-list tbody", "로그인 실패");
      admin.showing("#audit-list tbody", "아이디 또는 비밀번호가 맞지 않음");
      admin.showing("#audit-list tbody", "이 서버");
      admin.showing("#audit-list tbody", "Tenant " + s.tenant());
      admin.until("return [...document.querySelectorAll('#audit-actors option')]"
          + ".some((o) => o.value === 'kim' && o.label === '김상담 · 상담사')");
      admin.screenshot("audit-in-words-ko");
      assertPlainWords(admin, "the audit log", false);
      english(admin);
      admin.showing("#audit-list tbody", "Personal data revealed");
      admin.showing("#audit-list tbody", "The mobile number in message " + seq + " (item 1)");
      admin.showing("#audit-list tbody", "This server");
      admin.screenshot("audit-in-words-en");
      assertPlainWords(admin, "the audit log in English", true);
      admin.visible("#audit-actor").sendKeys("kim");
      admin.visible("#audit-form button[type=submit]").click();
      admin.until("const rows = [...document.querySelectorAll('#audit-list tbody tr')];"
          + "return rows.length > 0 && rows.every((r) => r.cells[2].textContent === 'kim')");
    }
  }

  @Test
  void signingInWithAWrongPasswordOrABadTenantCodeSaysSoInTheReadersLanguage() {
    TestServer.Setup s = server.setUp();
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "kim", "wrong-password");
      admin.showing("#notice", "아이디 또는 비밀번호가 맞지 않습니다");
      admin.screenshot("admin-sign-in-wrong-ko");
      assertPlainWords(admin, "the admin sign-in", false);
      english(admin);
      admin.visible("#password").sendKeys("still-wrong", org.openqa.selenium.Keys.ENTER);
      admin.showing("#notice", "Wrong username or password");
      admin.screenshot("admin-sign-in-wrong-en");
      assertPlainWords(admin, "the admin sign-in in English", true);
    }
    try (Browser agent = Browser.open()) {
      agent.logIn("http://127.0.0.1:" + server.port() + "/agent/", "Not A Code", "kim", "agent-pass-1");
      agent.showing("#notice", "계열사 코드은(는) 영문 소문자");
      agent.visible("#tenant").clear();
      agent.visible("#tenant").sendKeys(s.tenant());
      agent.visible("#password").sendKeys("wrong-password", org.openqa.selenium.Keys.ENTER);
      agent.showing("#notice", "아이디 또는 비밀번호가 맞지 않습니다");
      agent.screenshot("agent-sign-in-wrong-ko");
      assertPlainWords(agent, "the agent sign-in", false);
      english(agent);
      agent.visible("#password").sendKeys("still-wrong", org.openqa.selenium.Keys.ENTER);
      agent.showing("#notice", "Wrong username or password");
      agent.screenshot("agent-sign-in-wrong-en");
      assertPlainWords(agent, "the agent sign-in in English", true);
    }
  }

  @Test
  void noManagementScreenShowsACodeOrTheServersEnglishInEitherLanguage() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    // Named in English, so that any Korean on the English screens is a label left untranslated.
    server.http().expect(200, "PUT", t + "/centers/seoul", s.adminToken(), of("name", "Seoul"));
    server.http().expect(200, "PUT", t + "/centers/seoul/queues/card", s.adminToken(), of("name", "Cards"));
    server.http().expect(200, "PUT", t + "/users/kim", s.adminToken(), of("name", "Kim"));
    server.http().expect(201, "POST", t + "/categories", s.adminToken(), of("name", "Cards"));
    server.http().expect(201, "POST", t + "/canned", s.adminToken(), of("title", "Greeting", "shortcut", "hi",
        "body", "Hello, how can I help?"));
    user(s, "boss", "CENTER_MANAGER", "seoul", "Boss");
    String password = user(s, "chief", "TENANT_ADMIN", null, "Chief");
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "Hong")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "Hello")).next("started");
      agent.until("assigned");
    }
    try (Browser admin = Browser.open()) {
      admin.logIn(admin(), s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']");
      for (boolean english : List.of(false, true)) {
        if (english) {
          english(admin);
        }
        admin.visible("#nav button[data-view='manage']").click();
        for (String entity : List.of("centers", "queues", "users", "canned", "categories", "awayReasons")) {
          tab(admin, entity);
          admin.visible("#manage-list tbody tr, #manage-tree li");
          admin.visible("#manage-new").click();
          admin.visible("#manage-fields label");
          // Away reasons are named in Korean and in English by the admin; both names are data.
          assertPlainWords(admin, entity + (english ? " in English" : ""), english,
              entity.equals("awayReasons") ? "#manage-list tbody" : "#manage-center");
          admin.visible("#manage-cancel").click();
        }
        tab(admin, "centers");
        admin.visible("#manage-list tbody tr[data-key='seoul'] button:nth-of-type(2)").click();
        admin.visible("#hours-days .day");
        assertPlainWords(admin, "hours" + (english ? " in English" : ""), english, "#manage-center");
        admin.visible("#nav button[data-view='search']").click();
        admin.visible("#search-form button[type=submit]").click();
        admin.click("#search-results tbody tr");
        admin.visible("#transcript-messages li");
        assertPlainWords(admin, "search" + (english ? " in English" : ""), english, "#transcript-messages .text");
        admin.visible("#nav button[data-view='links']").click();
        admin.visible("#links-form button[type=submit]").click();
        assertPlainWords(admin, "customer links" + (english ? " in English" : ""), english);
        admin.visible("#nav button[data-view='audit']").click();
        admin.visible("#audit-form button[type=submit]").click();
        admin.visible("#audit-list tbody tr");
        assertPlainWords(admin, "audit" + (english ? " in English" : ""), english);
        admin.screenshot("scan-audit-" + (english ? "en" : "ko"));
      }
    }
  }
}
