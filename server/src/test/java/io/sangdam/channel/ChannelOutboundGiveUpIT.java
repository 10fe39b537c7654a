package io.sangdam.channel;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An item the channel keeps answering 5xx is given up once channels.outboundRetrySeconds have passed since
 * its commit: the agent is told ({@code deliveryFailed}) and the conversation's next item is tried.
 */
class ChannelOutboundGiveUpIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true")
      .with("channels.outboundRetrySeconds", "3");

  @Test
  void anItemNotDeliveredWithinTheRetryPeriodIsGivenUpAndTheAgentTold() throws IOException {
    List<String> texts = new CopyOnWriteArrayList<>();
    HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partner.createContext("/out", exchange -> {
      JsonNode body = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      texts.add(body.path("text").asText());
      exchange.sendResponseHeaders(body.path("text").asText().equals("안 가는 답변") ? 503 : 200, -1);
      exchange.close();
    });
    partner.start();
    try {
      TestServer.Setup s = server.setUp();
      JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels",
          s.adminToken(), of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
              "http://127.0.0.1:" + partner.getAddress().getPort() + "/out"));
      String secret = created.path("secret").asText();
      try (WsClient agent = server.agent()) {
        agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        byte[] bytes = of("user", "u-1", "mid", "m-1", "text", "문의").toString().getBytes(StandardCharsets.UTF_8);
        Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
            Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)),
            bytes);
        long id = r.body().path("conversation").asLong();
        agent.until("assigned");
        agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "안 가는 답변"));
        long seq = agent.until("ack").path("seq").asLong();
        agent.send(of("type", "send", "conversation", id, "cmid", "a-2", "text", "가는 답변"));
        agent.until("ack");

        JsonNode failed = agent.until("deliveryFailed");
        assertEquals(id, failed.path("conversation").asLong());
        assertEquals(seq, failed.path("seq").asLong());
        assertTrue(failed.path("reason").asText().startsWith("not delivered within PT3S"), failed.toString());
        eventually("the next message delivered", () -> texts.contains("가는 답변"));
        assertTrue(texts.stream().filter("안 가는 답변"::equals).count() >= 2, "tried again before: " + texts);
        assertEquals("가는 답변", texts.get(texts.size() - 1), "after the one given up: " + texts);
      }
    } finally {
      partner.stop(0);
    }
  }
}
