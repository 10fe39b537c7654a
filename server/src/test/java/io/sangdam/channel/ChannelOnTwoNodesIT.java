package io.sangdam.channel;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel's inbound requests reach a node that does not own the channel's center: the conversation
 * is started, written to and left through the owner, and the agent on the owner hears of each.
 */
class ChannelOnTwoNodesIT {
  private static final String TENANT = "chan";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).on("node-a", "cluster.centers", TENANT + "/seoul");

  private static Http.Response post(TestServer node, String secret, Object body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return node.http().sendSigned("POST", "/channels/" + TENANT + "/app/inbound", Map.of(InboundSignature.HEADER,
        InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
  }

  @Test
  void inboundOnAnotherNodeGoesThroughTheCentersOwner() {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    String admin = a.adminToken();
    Http http = a.http();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Channels"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
        "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    String secret = http.expect(201, "POST", "/api/tenants/" + TENANT + "/channels", admin, of("code", "app",
        "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
    Eventually.eventually("seoul owned by node-a", () -> {
      for (JsonNode node : http.expect(200, "GET", "/api/cluster", admin, null).path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          if (node.path("name").asText().equals("node-a") && center.asText().equals(TENANT + "/seoul")) {
            return true;
          }
        }
      }
      return false;
    });

    try (WsClient agent = a.agent()) {
      agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).until("status");

      Http.Response first = post(b, secret, of("user", "u-1", "mid", "m-1", "text", "안녕하세요"));
      assertEquals(200, first.status(), first.body().toString());
      long id = first.body().path("conversation").asLong();
      // Straight after the first answer: node-b finds the open conversation whether or not its copy of it
      // (from the owner's events) has arrived yet.
      Http.Response second = post(b, secret, of("user", "u-1", "mid", "m-2", "text", "카드 문의요"));
      assertEquals(200, second.status(), second.body().toString());
      assertEquals(id, second.body().path("conversation").asLong(), second.body().toString());
      assertEquals(2, second.body().path("seq").asLong());
      // Routing assigns while the messages are stored: the agent hears of the second as a message (before or
      // after the assignment) or as the assigned conversation's lastSeq.
      JsonNode assigned = null;
      boolean heardSecond = false;
      for (int frames = 0; frames < 6 && (assigned == null || !heardSecond && assigned.path("lastSeq").asLong() < 2);
          frames++) {
        JsonNode frame = agent.next();
        if (frame.path("type").asText().equals("assigned")) {
          assigned = frame.path("conversation");
        } else if (frame.path("type").asText().equals("message") && frame.path("seq").asLong() == 2) {
          assertEquals("카드 문의요", frame.path("text").asText());
          heardSecond = true;
        }
      }
      assertTrue(assigned != null, "assigned");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("app", assigned.path("channel").asText());
      assertTrue(heardSecond || assigned.path("lastSeq").asLong() >= 2, "the second message reached the agent");

      Http.Response left = post(b, secret, of("user", "u-1", "mid", "m-3", "event", "leave"));
      assertEquals(200, left.status(), left.body().toString());
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertTrue(closed.path("reason").asText().equals("customer") || closed.path("reason").asText()
          .equals("abandoned"), closed.toString());
    }
  }
}
