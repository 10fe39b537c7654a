package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * An agent's working day in the agent console, in headless Chromium: signed in OFFLINE, told so and brought
 * ONLINE with one click; two anonymous customers told apart; every message with its time and the day it was
 * on; unread and waiting-for-a-reply badges; keyboard shortcuts and their help; the customer panel edited
 * (a hostile contact refused in words); desktop notifications and sound while the tab is hidden, as the
 * agent set them; a transfer with no agent to take it; a close by keyboard, the chat then in today's list
 * and the agent's figures, and found again by search, read-only. Screens in Korean and English, 1280x800.
 */
class AgentDayBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  /** The time of day as the console writes it in either language: 오후 2:31, 2:31 PM. */
  private static final String CLOCK = "(오전|오후) \\d{1,2}:\\d{2}|\\d{1,2}:\\d{2} (AM|PM)";

  @Test
  void anAgentsDayFromSigningInToRereadingAClosedChat() throws SQLException {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/canned", s.adminToken(), of("title", "인사",
        "shortcut", "hi", "body", "안녕하세요, 상담사 {agent.name}입니다."));
    try (Browser browser = Browser.open(); WsClient first = server.customer(); WsClient second = server.customer()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");

      // Signed in OFFLINE: a banner says so, one click goes ONLINE.
      browser.showing("#offline-banner", "오프라인 상태입니다");
      browser.showing("#me", "김상담 · 서울");
      both(browser, "agent-day-1-offline-banner");
      browser.visible("#go-online").click();
      browser.until("return document.getElementById('offline-banner').hidden");
      assertEquals("ONLINE", browser.script("return document.getElementById('status').value"));

      // Two customers who gave no name: each has a label of their own, in the list, the header and the transcript.
      first.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long firstCustomer = first.send(of("type", "start", "queue", "card", "text", "카드를 잃어버렸어요")).next("started")
          .path("conversation").path("customer").path("id").asLong();
      long firstChat = first.next("assigned").path("conversation").asLong();
      String firstLabel = "고객 #" + firstCustomer;
      browser.showing("#chats", firstLabel);
      browser.showing("#conversation-title", firstLabel + " · 웹 · 카드");
      browser.showing("#messages li.customer .meta", firstLabel);
      second.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long secondCustomer = second.send(of("type", "start", "queue", "card", "text", "문의가 있어요")).next("started")
          .path("conversation").path("customer").path("id").asLong();
      long secondChat = second.next("assigned").path("conversation").asLong();
      String secondLabel = "고객 #" + secondCustomer;
      assertNotEquals(firstLabel, secondLabel);
      browser.showing("#chats li:nth-child(2)", secondLabel);

      // Times on every message, and the day above the first of each day.
      String time = browser.visible("#messages li.customer .meta").getText();
      assertTrue(time.matches(".*(" + CLOCK + ")$"), time);
      browser.visible("#messages li.day");

      // The second customer writes again while the first chat is open: unread 1; both wait for a reply.
      second.send(of("type", "send", "conversation", secondChat, "cmid", "s2", "text", "여보세요?")).until("ack");
      browser.showing("#chats li:nth-child(2) .unread", "1");
      assertEquals(2L, browser.script("return document.querySelectorAll('#chats .waiting').length"));
      browser.showing("#chats li:nth-child(1) .waiting", "답변 대기");

      // Alt+↓ opens the next chat (its unread badge goes), Alt+↑ the one before.
      browser.visible("#text").sendKeys(Keys.chord(Keys.ALT, Keys.ARROW_DOWN));
      browser.until("return document.querySelector('#chats li:nth-child(2)').getAttribute('aria-selected') === 'true'");
      assertTrue(browser.all("#chats li:nth-child(2) .unread").isEmpty());
      browser.visible("#text").sendKeys(Keys.chord(Keys.ALT, Keys.ARROW_UP));
      browser.until("return document.querySelector('#chats li:nth-child(1)').getAttribute('aria-selected') === 'true'");

      // ? opens the list of shortcuts (from outside a text field), Esc closes it; / starts a canned response.
      browser.script("document.activeElement.blur()");
      browser.keys("?");
      browser.showing("#help-dialog", "다음 상담");
      browser.showing("#help-list", "Alt + ↓");
      both(browser, "agent-day-2-shortcuts");
      browser.keys(Keys.ESCAPE);
      browser.until("return document.getElementById('help-dialog').hidden");
      browser.visible("#help-open").click();
      browser.visible("#help-dialog");
      browser.visible("#help-done").click();
      browser.script("document.activeElement.blur()");
      browser.keys("/");
      browser.visible("#canned li[data-shortcut='/hi']");
      assertEquals("/", browser.script("return document.getElementById('text').value"));
      browser.visible("#text").sendKeys(Keys.ENTER);
      first.until("message");
      browser.until("return document.querySelectorAll('#chats li:nth-child(1) .waiting').length === 0");

      // The customer panel: a hostile contact is refused in words, nothing saved; then name, contact and memo.
      browser.visible("#customer-edit").click();
      browser.visible("#customer-name").clear();
      browser.visible("#customer-name").sendKeys("홍길동");
      browser.visible("#customer-contact").sendKeys("<img src=x onerror=alert(1)>");
      browser.visible("#customer-memo").sendKeys("분실 카드 재발급 요청\n<b>VIP</b>");
      browser.visible("#customer-form button[type=submit]").click();
      browser.showing("#customer-error", "연락처는 휴대폰 번호나 이메일 주소로");
      browser.showing("#profile-name", firstLabel);
      both(browser, "agent-day-3-customer-refused", () -> browser.visible("#customer-form button[type=submit]").click(),
          "#customer-error", "Enter a phone number or an e-mail address");
      browser.visible("#customer-contact").clear();
      browser.visible("#customer-contact").sendKeys("010-1234-5678");
      browser.visible("#customer-form button[type=submit]").click();
      browser.showing("#profile-name", "홍길동");
      browser.showing("#profile-contact", "010-****-5678");
      browser.showing("#profile-memo", "<b>VIP</b>");
      assertTrue(browser.all("#profile-memo b").isEmpty(), "markup in the memo is shown as text");
      browser.showing("#chats li:nth-child(1)", "홍길동");
      browser.showing("#conversation-title", "홍길동 · 웹 · 카드");
      browser.showing("#messages li.customer .meta", "홍길동");
      both(browser, "agent-day-4-customer-panel");
      // After a reload the edited name stays, though the chat's live view began with the old one.
      browser.reload();
      browser.showing("#chats li:nth-child(1)", "홍길동");
      browser.visible("#chats li:nth-child(1)").click();
      browser.showing("#conversation-title", "홍길동 · 웹 · 카드");
      browser.showing("#profile-memo", "분실 카드 재발급 요청");

      // Hidden tab: a customer's message sounds and shows a desktop notification, as the agent set it.
      browser.script("window.__notified = []; window.__beeps = 0;"
          + "window.Notification = class { constructor(title, o) { window.__notified.push(title + ' | ' + o.body); }"
          + "  static get permission() { return 'granted'; } close() {} };"
          + "window.AudioContext = class { constructor() { window.__beeps++; this.destination = {}; this.currentTime = 0; }"
          + "  createOscillator() { return { frequency: {}, connect() {}, start() {}, stop() {} }; } };"
          + "Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });");
      second.send(of("type", "send", "conversation", secondChat, "cmid", "s3", "text", "빨리 답 주세요"))
          .until("ack");
      browser.until("return window.__notified.length === 1");
      assertEquals("고객 #" + secondCustomer + " 님의 새 메시지 | 빨리 답 주세요",
          browser.script("return window.__notified[0]"));
      assertEquals(1L, browser.script("return window.__beeps"));
      browser.visible("#alerts-open").click();
      browser.visible("#alert-desktop").click();
      browser.visible("#alert-sound").click();
      both(browser, "agent-day-5-alert-settings");
      browser.visible("#alerts-done").click();
      second.send(of("type", "send", "conversation", secondChat, "cmid", "s4", "text", "계세요?")).until("ack");
      browser.showing("#chats li:nth-child(2) .unread", "2");
      assertEquals(1L, browser.script("return window.__notified.length"), "desktop notifications turned off");
      assertEquals(1L, browser.script("return window.__beeps"), "sound turned off");
      browser.script("delete document.hidden;");

      // Transfer: no other agent in the center, so the agent list says so; nothing chosen is refused in words.
      browser.visible("#transfer").click();
      browser.showing("#to-agent", "이관할 수 있는 상담사가 없습니다");
      assertFalse(browser.visible("#to-agent").isEnabled());
      browser.showing("#to-queue", "카드");
      browser.visible("#transfer-form button[type=submit]").click();
      browser.showing("#transfer-hint", "이관할 큐나 상담사를 선택해 주세요");
      both(browser, "agent-day-6-transfer-no-agent", () -> browser.visible("#transfer-form button[type=submit]")
          .click(), "#transfer-hint", "Choose a queue or an agent");
      browser.visible("#transfer-cancel").click();

      // Ctrl+Enter opens the close dialog and confirms it: the chat is in today's list and the figures.
      browser.visible("#text").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
      browser.visible("#close-form");
      browser.visible("#category").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
      assertEquals(firstChat, first.until("closed").path("conversation").asLong());
      browser.showing("#notice", "상담사가 상담을 종료했습니다.");
      browser.showing("#closed-today", "홍*동");
      browser.showing("#day-handled", "1건");
      browser.showing("#pick-chat", "왼쪽 목록에서 상담을 선택하세요");
      both(browser, "agent-day-7-closed-today");
      browser.visible("#language").click();
      browser.showing("#notice", "The agent ended the chat.");
      browser.showing("#day-handled", "1");
      browser.visible("#language").click();

      // The chat began "yesterday" (its first message moved a day back): the transcript shows both days.
      try (Connection c = DriverManager.getConnection(server.database().url(), server.database().user(),
          server.database().password());
          PreparedStatement ps = c.prepareStatement(
              "UPDATE message SET created_at = created_at - INTERVAL 1 DAY WHERE conversation_id = ? AND seq = 1")) {
        ps.setLong(1, firstChat);
        assertEquals(1, ps.executeUpdate());
      }
      server.awaitSearchIndex();
      browser.choose("#past-kind", "q");
      browser.visible("#past-query").sendKeys("잃어버렸");
      browser.visible("#past-form button[type=submit]").click();
      browser.showing("#past-results", "홍*동");
      browser.visible("#past-results li[data-conversation='" + firstChat + "']").click();
      browser.showing("#past-view", "읽기 전용");
      browser.showing("#past-messages", "카드를 잃어버렸어요");
      browser.showing("#past-facts", "상담사 종료");
      List<WebElement> days = browser.all("#past-messages li.day");
      assertEquals(2, days.size(), "a date line for each day");
      assertTrue(browser.all("#past-view textarea, #past-view input").isEmpty(), "read-only");
      both(browser, "agent-day-8-past-chat");
      browser.visible("#past-back").click();
      browser.until("return document.getElementById('past-view').hidden");

      // Another agent's words are never among the results: a search for text no chat of kim's has finds nothing.
      browser.visible("#past-query").clear();
      browser.visible("#past-query").sendKeys("없는말");
      browser.visible("#past-form button[type=submit]").click();
      browser.showing("#past-results", "찾은 상담이 없습니다");
    }
  }

  /** The screen in Korean, then in English, then back to Korean. */
  private static void both(Browser browser, String name) {
    browser.screenshot(name + "-ko");
    browser.visible("#language").click();
    browser.showing("#language", "한국어");
    browser.screenshot(name + "-en");
    browser.visible("#language").click();
    browser.showing("#language", "English");
  }

  /** As above, for a screen whose message comes from an action: done again in English, and checked. */
  private static void both(Browser browser, String name, Runnable again, String css, String english) {
    browser.screenshot(name + "-ko");
    browser.visible("#language").click();
    again.run();
    browser.showing(css, english);
    browser.screenshot(name + "-en");
    browser.visible("#language").click();
    again.run();
    browser.showing("#language", "English");
  }
}
