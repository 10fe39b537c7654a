package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.CommitReplyTrap;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The widget and the agent console in headless Chromium when a message and its answer part ways:
 * one stored whose ack was lost with the socket is shown once after the reconnect, and one the
 * server stored after answering that it had not (its insert's answer swallowed by a
 * {@link CommitReplyTrap}) is shown in its place when the next message arrives past the gap.
 */
class DeliveryGapBrowserIT {
  private static CommitReplyTrap trap;

  @RegisterExtension
  static final TestServer server = new TestServer().withDatabaseRoute(url -> {
    trap = new CommitReplyTrap(url);
    return trap.url(url);
  });

  @AfterAll
  static void closeTrap() {
    trap.close();
  }

  /**
   * The page's sockets, patched: the first chat message sent closes its socket right after it
   * (its ack is lost), and its resend on the next socket is held until that socket's resume has
   * replayed the conversation, so the replay shows the message before the resend is answered.
   */
  private static final String LOSE_FIRST_ACK = """
      const send = WebSocket.prototype.send;
      let phase = 'lose';
      WebSocket.prototype.send = function (data) {
        if (JSON.parse(data).type !== 'send' || phase === 'done') {
          return send.call(this, data);
        }
        if (phase === 'lose') {
          phase = 'hold';
          send.call(this, data);
          return this.close();
        }
        const socket = this;
        socket.addEventListener('message', (event) => {
          if (phase === 'hold' && JSON.parse(event.data).type === 'resumed') {
            phase = 'done';
            send.call(socket, data);
          }
        });
        return undefined;
      };
      """;

  @Test
  void aMessageStoredWhoseAckWasLostIsShownOnceAfterTheReconnect() {
    TestServer.Setup s = server.setUp();
    String text = "확인 응답을 못 받은 메시지";
    try (Browser browser = Browser.phone(); WsClient agent = server.agent()) {
      long conversation = chat(s, browser, agent);
      browser.script(LOSE_FIRST_ACK);
      browser.visible("#text").sendKeys(text, Keys.ENTER);
      assertEquals(text, agent.until("message").path("text").asText());
      browser.until("return [...document.querySelectorAll('#messages li.customer')]"
          + ".some((li) => li.textContent.includes('" + text + "'))"
          + " && !document.querySelector('#messages').textContent.includes('전송 중')");
      assertEquals(1, browser.all("#messages li.customer").stream().filter(li -> li.getText().contains(text)).count(),
          "the replayed message and the acknowledged resend are one item");
      browser.screenshot("widget-ack-lost");
      agent.send(of("type", "send", "conversation", conversation, "cmid", "after", "text", "다음 답변")).until("ack");
      browser.showing("#messages li.agent:last-child", "다음 답변");
      assertEquals(1, browser.all("#messages li.customer").stream().filter(li -> li.getText().contains(text)).count());
    }
  }

  @Test
  void aMessageStoredAfterItsRefusalIsShownWhenTheNextOneArrivesPastTheGap() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.phone(); WsClient agent = server.agent()) {
      long conversation = chat(s, browser, agent);
      agent.ignoring("typing", "read", "presence");
      trap.arm("커밋 응답이 사라진 답변");
      agent.send(of("type", "send", "rid", "lost", "conversation", conversation, "cmid", "lost",
          "text", "커밋 응답이 사라진 답변"));
      JsonNode refused = agent.next(Duration.ofSeconds(30));
      assertEquals("unavailable", refused.path("code").asText(), refused::toString);
      agent.send(of("type", "send", "conversation", conversation, "cmid", "next", "text", "그다음 답변")).until("ack");

      browser.showing("#messages li.agent:last-child", "그다음 답변");
      List<String> agentSaid = browser.all("#messages li.agent").stream().map(li -> li.getText()).toList();
      assertEquals(2, agentSaid.size(), agentSaid::toString);
      assertEquals(true, agentSaid.get(0).contains("커밋 응답이 사라진 답변"), agentSaid::toString);
      assertEquals(true, agentSaid.get(1).contains("그다음 답변"), agentSaid::toString);
    }
  }

  @Test
  void theAgentConsoleFillsAGapFromTheCustomerWithAResume() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.open(); WsClient customer = server.customer()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long conversation = customer.send(of("type", "start", "queue", "card", "text", "카드를 분실했어요"))
          .next("started").path("conversation").path("id").asLong();
      customer.until("assigned");
      browser.showing("#messages", "카드를 분실했어요");

      trap.arm("응답이 사라진 질문");
      customer.send(of("type", "send", "rid", "lost", "conversation", conversation, "cmid", "lost",
          "text", "응답이 사라진 질문"));
      JsonNode refused = customer.until("error");
      assertEquals("unavailable", refused.path("code").asText(), refused::toString);
      customer.send(of("type", "send", "conversation", conversation, "cmid", "next", "text", "그다음 질문"))
          .until("ack");

      browser.showing("#messages li.customer:last-child", "그다음 질문");
      List<String> customerSaid = browser.all("#messages li.customer").stream().map(li -> li.getText()).toList();
      assertEquals(3, customerSaid.size(), customerSaid::toString);
      assertEquals(true, customerSaid.get(1).contains("응답이 사라진 질문"), customerSaid::toString);
      assertEquals(true, customerSaid.get(2).contains("그다음 질문"), customerSaid::toString);
    }
  }

  /** A customer in the widget and an agent on a socket, in an assigned chat: its id. */
  private static long chat(TestServer.Setup s, Browser browser, WsClient agent) {
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul");
    browser.visible("#queue-list button[data-queue=card]");
    browser.visible("#start").click();
    long conversation = agent.next("assigned").path("conversation").path("id").asLong();
    browser.showing("#messages", "김상담");
    return conversation;
  }
}
