package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The agent console shows a reply the customer's channel refused as not delivered, and says why. */
class ChannelDeliveryBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  @Test
  void aReplyTheChannelRefusesShowsAsNotDelivered() throws IOException {
    HttpServer channel = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    channel.createContext("/out", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(400, -1); // the company's app refuses whatever it is sent
      exchange.close();
    });
    channel.start();
    try (Browser browser = Browser.open()) {
      TestServer.Setup s = server.setUp();
      String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
          of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
              "http://127.0.0.1:" + channel.getAddress().getPort() + "/out")).path("secret").asText();
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.choose("#status", "ONLINE");

      byte[] bytes = of("user", "kakao-1", "name", "홍길동", "mid", "m-1", "text", "카드를 분실했어요").toString()
          .getBytes(StandardCharsets.UTF_8);
      Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
          Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)),
          bytes);
      assertEquals(200, r.status(), r.body().toString());
      browser.showing("#chats", "홍길동");
      browser.showing("#messages", "카드를 분실했어요");

      browser.visible("#text").sendKeys("확인해 드리겠습니다", Keys.ENTER);
      browser.showing("#messages li.failed", "전달되지 않음");
      browser.showing("#notice", "status 400");
      browser.screenshot("agent-channel-not-delivered");
    } finally {
      channel.stop(0);
    }
  }
}
