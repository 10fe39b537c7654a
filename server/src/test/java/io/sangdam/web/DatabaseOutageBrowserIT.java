package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.MariaDbProcess;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The widget and the agent console in headless Chromium while the server's own embedded MariaDB
 * is frozen (SIGSTOP): a message typed then is refused by the server with {@code unavailable},
 * stays on screen as "sending", is sent again by the app on its own with the same cmid, and
 * arrives exactly once when the database is back.
 */
class DatabaseOutageBrowserIT {
  private static final Path DATA = Path.of("target", "database-outage-browser-it");
  private static final Duration OUTAGE_SEEN = Duration.ofSeconds(20);

  @RegisterExtension
  static final TestServer server = TestServer.embedded(DATA);
  private static final MariaDbProcess mariadb = new MariaDbProcess(DATA);

  @Test
  void theWidgetSendsAgainWhatWasRefusedDuringAnOutage() {
    TestServer.Setup s = server.setUp();
    String text = "데이터베이스가 멈춘 동안 보낸 메시지";
    try (Browser browser = Browser.phone(); WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul");
      browser.visible("#queue-list button[data-queue=card]");
      browser.visible("#start").click();
      long conversation = agent.next("assigned").path("conversation").path("id").asLong();
      browser.showing("#messages", "김상담");
      agent.ignoring("typing");

      mariadb.freeze();
      try {
        server.http().awaitStatus("/ready", 503, OUTAGE_SEEN);
        browser.visible("#text").sendKeys(text, Keys.ENTER);
        browser.showing("#messages li.customer:last-child .receipt", "전송 중");
        assertTrue(agent.quietFor(2_500), "nothing reaches the agent while the database is down");
        browser.showing("#messages li.customer:last-child .receipt", "전송 중");
        browser.screenshot("outage-widget-sending");
      } finally {
        mariadb.thaw();
      }
      server.http().awaitStatus("/ready", 200, OUTAGE_SEEN);

      JsonNode message = agent.until("message");
      assertEquals(text, message.path("text").asText());
      agent.send(of("type", "read", "conversation", conversation, "seq", message.path("seq").asLong()));
      browser.showing("#messages li.customer:last-child .receipt", "읽음");
      assertEquals(1, stored(s, conversation, text), "sent again, stored once");
    }
  }

  @Test
  void theAgentConsoleSendsAgainWhatWasRefusedDuringAnOutage() {
    TestServer.Setup s = server.setUp();
    String text = "잠시만 기다려 주세요, 확인하겠습니다";
    try (Browser browser = Browser.open(); WsClient customer = server.customer()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long conversation = customer.send(of("type", "start", "queue", "card", "text", "카드를 분실했어요"))
          .next("started").path("conversation").path("id").asLong();
      customer.next("assigned");
      browser.showing("#messages", "카드를 분실했어요");
      customer.ignoring("typing", "read");

      mariadb.freeze();
      try {
        server.http().awaitStatus("/ready", 503, OUTAGE_SEEN);
        browser.visible("#text").sendKeys(text, Keys.ENTER);
        browser.showing("#messages li.pending", "전송 중");
        assertTrue(customer.quietFor(2_500), "nothing reaches the customer while the database is down");
        browser.showing("#messages li.pending", text);
        browser.screenshot("outage-agent-sending");
      } finally {
        mariadb.thaw();
      }
      server.http().awaitStatus("/ready", 200, OUTAGE_SEEN);

      assertEquals(text, customer.until("message").path("text").asText());
      browser.showing("#messages li.agent", text);
      assertEquals(0, browser.all("#messages li.pending").size(), "no longer shown as sending once stored");
      assertEquals(1, stored(s, conversation, text), "sent again, stored once");
    }
  }

  /** How many messages of the conversation's transcript have {@code text}. */
  private static int stored(TestServer.Setup s, long conversation, String text) {
    int n = 0;
    for (JsonNode m : server.http().expect(200, "GET", "/api/conversations/" + conversation, s.adminToken(), null)
        .path("messages")) {
      n += m.path("text").asText().equals(text) ? 1 : 0;
    }
    return n;
  }
}
