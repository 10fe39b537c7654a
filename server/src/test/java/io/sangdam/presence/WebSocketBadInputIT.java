package io.sangdam.presence;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of bad input on the WebSockets gets the error PROTOCOL.md names, and the connection stays usable. */
class WebSocketBadInputIT {
  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("limits.wsMessagesPerSecond", "5")
      .with("limits.wsBurst", "20");

  private static String errorCode(WsClient ws) {
    return ws.next("error").path("code").asText();
  }

  private WsClient helloCustomer(TestServer.Setup s) {
    WsClient c = server.customer();
    c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
    return c;
  }

  @Test
  void malformedJsonIsBadJsonAndTheConnectionStaysOpen() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = server.customer()) {
      c.sendText("{\"type\":\"hello\",");
      assertEquals("bad_json", errorCode(c));
      c.sendText("[1,2,3]");
      assertEquals("bad_json", errorCode(c));
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
    }
  }

  @Test
  void aFrameBeforeHelloIsRefusedWithItsRid() {
    try (WsClient c = server.customer()) {
      c.send(of("type", "start", "rid", "x1", "queue", "card"));
      JsonNode error = c.next("error");
      assertEquals("hello_required", error.path("code").asText());
      assertEquals("x1", error.path("rid").asText());
      c.send(of("rid", 2));
      assertEquals("hello_required", errorCode(c));
      assertTrue(c.isOpen());
    }
  }

  @Test
  void unknownTypeMissingFieldsAndSecondHello() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s)) {
      c.send(of("type", "dance"));
      assertEquals("unknown_type", errorCode(c));
      c.send(of("rid", 1));
      assertEquals("missing_field", errorCode(c));
      c.send(of("type", "start"));
      JsonNode missing = c.next("error");
      assertEquals("missing_field", missing.path("code").asText());
      assertEquals("field 'queue' is required", missing.path("message").asText());
      c.send(of("type", "send", "conversation", "seven", "cmid", "a", "text", "hi"));
      assertEquals("invalid_field", errorCode(c));
      c.send(of("type", "start", "queue", "Not A Slug"));
      assertEquals("invalid_field", errorCode(c));
      c.send(of("type", "start", "queue", "nosuch"));
      assertEquals("not_found", errorCode(c));
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul"));
      assertEquals("bad_request", errorCode(c));
      c.send(of("type", "start", "queue", "card")).next("started");
    }
  }

  @Test
  void textOver4000CharactersIsTooLongAndNothingIsStored() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s)) {
      long id = c.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id").asLong();
      c.send(of("type", "send", "conversation", id, "cmid", "long", "text", "가".repeat(4001)));
      assertEquals("too_long", errorCode(c));
      c.send(of("type", "start", "queue", "card", "text", "x".repeat(4001)));
      assertEquals("too_long", errorCode(c));
      c.send(of("type", "send", "conversation", id, "cmid", "blank", "text", "   "));
      assertEquals("invalid_field", errorCode(c));
      c.send(of("type", "send", "conversation", id, "cmid", "c".repeat(65), "text", "hi"));
      assertEquals("invalid_field", errorCode(c));
      c.send(of("type", "send", "conversation", id, "cmid", "ok", "text", "가".repeat(4000)));
      assertEquals(1, c.next("ack").path("seq").asLong(), "nothing was stored before");
    }
  }

  @Test
  void aConversationThatIsNotTheSendersIsNotFound() {
    TestServer.Setup s = server.setUp();
    try (WsClient owner = helloCustomer(s); WsClient stranger = helloCustomer(s)) {
      long id = owner.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      stranger.send(of("type", "send", "conversation", id, "cmid", "x", "text", "hi"));
      assertEquals("not_found", errorCode(stranger));
      stranger.send(of("type", "resume", "conversation", id, "afterSeq", 0));
      assertEquals("not_found", errorCode(stranger));
      stranger.send(of("type", "leave", "conversation", id));
      assertEquals("not_found", errorCode(stranger));
      stranger.send(of("type", "send", "conversation", 999_999_999, "cmid", "y", "text", "hi"));
      assertEquals("not_found", errorCode(stranger));
      owner.assertNothingSoFar("a stranger's attempts reach the owner not at all");
    }
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "send", "conversation", 1, "cmid", "z", "text", "not mine"));
      assertEquals("not_found", errorCode(agent));
      agent.send(of("type", "close", "conversation", 1));
      assertEquals("not_found", errorCode(agent));
    }
  }

  @Test
  void unknownTenantOrCenterIsNotFoundAndHelloCanBeRetried() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = server.customer()) {
      c.send(of("type", "hello", "tenant", "no-such-tenant", "center", "seoul"));
      assertEquals("not_found", errorCode(c));
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "busan"));
      assertEquals("not_found", errorCode(c));
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
    }
  }

  @Test
  void aBadTokenIsUnauthorizedAndAHelloMayBeRetried() {
    TestServer.Setup s = server.setUp();
    try (WsClient a = server.agent()) {
      a.send(of("type", "hello", "token", "not-a-token"));
      assertEquals("unauthorized", errorCode(a));
      a.send(of("type", "hello"));
      assertEquals("missing_field", errorCode(a));
      a.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      a.send(of("type", "status", "status", "BUSY"));
      assertEquals("invalid_field", errorCode(a));
    }
  }

  @Test
  void anAdminMaySuperviseOnTheAgentSocketButIsNotRouted() {
    TestServer.Setup s = server.setUp();
    try (WsClient admin = server.agent()) {
      admin.send(of("type", "hello", "token", s.adminToken())).next("welcome");
      admin.send(of("type", "status", "status", "ONLINE"));
      assertEquals("forbidden", errorCode(admin));
      admin.send(of("type", "pick", "conversation", 1));
      assertEquals("forbidden", errorCode(admin));
      for (String type : java.util.List.of("categories", "close", "transfer", "hold", "note", "notes", "history")) {
        admin.send(of("type", type, "conversation", 1));
        assertEquals("forbidden", errorCode(admin), type);
      }
    }
  }

  @Test
  void aRevokedTokenNoLongerOpensTheAgentSocket() {
    TestServer.Setup s = server.setUp();
    server.http().expect(204, "POST", "/api/logout", s.agentToken(), null);
    try (WsClient a = server.agent()) {
      a.send(of("type", "hello", "token", s.agentToken()));
      assertEquals("unauthorized", errorCode(a));
    }
  }

  @Test
  void anAgentCannotSendToAConversationStillWaiting() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s); WsClient a = server.agent()) {
      long id = c.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id").asLong();
      a.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      a.send(of("type", "send", "conversation", id, "cmid", "early", "text", "hi"));
      assertEquals("not_found", errorCode(a));
    }
  }

  @Test
  void aBinaryFrameIsRefused() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s)) {
      c.sendBinary(new byte[] {1, 2, 3});
      assertEquals("bad_request", errorCode(c));
      assertTrue(c.isOpen());
    }
  }

  @Test
  void aFrameOver64KibClosesWith1009() {
    try (WsClient c = server.customer()) {
      c.sendText("{\"type\":\"hello\",\"name\":\"" + "x".repeat(64 * 1024) + "\"}");
      assertEquals(1009, c.awaitClose());
    }
  }

  @Test
  void aFloodClosesWith1008() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s)) {
      for (int i = 0; i < 40 && c.trySend(of("type", "dance")); i++) {
        continue;
      }
      assertEquals(1008, c.awaitClose());
    }
  }

  @Test
  void aFloodOfBinaryFramesClosesWith1008Too() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = helloCustomer(s)) {
      for (int i = 0; i < 40 && c.trySendBinary(new byte[] {1}); i++) {
        continue;
      }
      assertEquals(1008, c.awaitClose());
    }
  }

  @Test
  void anUnknownWebSocketPathIsClosed() {
    try (WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws/admin"))) {
      assertEquals(1008, c.awaitClose());
    }
  }

  @Test
  void aRidIsEchoedOnlyAsAFiniteNumberOrABoundedString() {
    TestServer.Setup s = server.setUp();
    String rest = ",\"type\":\"hello\",\"tenant\":\"" + s.tenant() + "\",\"center\":\"seoul\"}";
    try (WsClient c = server.customer()) {
      for (String rid : new String[] {"1e999", "-1e999", "{\"a\":1}", "[1]", "true", "\"" + "r".repeat(129) + "\"",
          "123456789012345678901234567890"}) {
        c.sendText("{\"rid\":" + rid + rest);
        JsonNode error = c.next("error");
        assertEquals("invalid_field", error.path("code").asText(), rid);
        assertTrue(error.path("rid").isMissingNode(), "a rid that cannot be echoed as it came is not echoed: " + rid);
      }
      c.sendText("{\"rid\":1.5e300" + rest);
      assertEquals(1.5e300, c.next("welcome").path("rid").doubleValue());
    }
    try (WsClient c = server.customer()) {
      c.sendText("{\"rid\":\"" + "r".repeat(128) + "\"" + rest);
      assertEquals("r".repeat(128), c.next("welcome").path("rid").asText());
    }
  }

  @Test
  void textWithAnUnpairedSurrogateIsRefusedWithItsRidAndNothingIsStoredOrPushed() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient c = server.customer()) {
      long id = server.assignedChat(s, agent, c);
      c.sendText("{\"type\":\"send\",\"rid\":\"s1\",\"conversation\":" + id
          + ",\"cmid\":\"u1\",\"text\":\"half \\ud83d of a smile\"}");
      JsonNode error = c.next("error");
      assertEquals("invalid_field", error.path("code").asText());
      assertEquals("s1", error.path("rid").asText());
      assertTrue(error.path("message").asText().contains("'text'"), error.toString());
      agent.assertNothingSoFar("nothing pushed");
      c.send(of("type", "send", "conversation", id, "cmid", "u2", "text", "a whole smile 😀"));
      assertEquals(1, c.next("ack").path("seq").asLong(), "nothing was stored for the refused text");
      assertEquals("a whole smile 😀", agent.next("message").path("text").asText());
    }
  }
}
