package io.sangdam.channel.sms;

import static io.sangdam.testing.ChannelChecks.assertInvalid;
import static io.sangdam.testing.ChannelChecks.assertRefused;
import static io.sangdam.testing.ChannelChecks.inboundCount;
import static io.sangdam.testing.ChannelChecks.stored;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An SMS gateway's inbound webhook (docs/protocol.md, "SMS/LMS"): a text from a number opens a routed
 * conversation with that number as the customer, a repeated gateway id stores nothing, 수신거부 ends the
 * conversation and opts the number out; bad requests are refused and store nothing.
 */
class SmsInboundIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.maxRequestBytes", "8192");

  private record Channel(TestServer.Setup setup, String secret) {
    String path() {
      return "/channels/" + setup.tenant() + "/sms/sms";
    }
  }

  private static Channel channel() {
    TestServer.Setup s = server.setUp();
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "sms", "kind", "SMS", "center", s.center(), "queue", s.queue(), "gatewayUrl",
            "http://192.0.2.1/send", "bodyTemplate", "{\"to\":\"{to}\",\"msg\":\"{text}\"}", "fromNumber", "15880000",
            "authHeader", "Authorization: Bearer gw-token"));
    assertEquals("/channels/" + s.tenant() + "/sms/sms", created.path("inboundUrl").asText());
    assertFalse(server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/channels/sms", s.adminToken(), null)
        .has("authHeader"), "the gateway's credentials are never shown again");
    return new Channel(s, created.path("secret").asText());
  }

  private static Http.Response post(Channel ch, Object body) {
    return post(ch.path(), Map.of(SmsInbound.KEY_HEADER, ch.secret()), body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Http.Response post(String path, Map<String, String> headers, byte[] body) {
    return server.http().sendSigned("POST", path, headers, body);
  }

  private static JsonNode ok(Http.Response r) {
    assertEquals(200, r.status(), r.body().toString());
    return r.body();
  }

  @Test
  void aTextOpensARoutedConversationAndOptingOutEndsItAndStopsSends() throws SQLException {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      JsonNode first = ok(post(ch, of("from", "+82 10-1234-5678", "text", "예약 변경하고 싶어요", "id", "gw-1")));
      long id = first.path("conversation").asLong();
      assertEquals(1, first.path("seq").asLong());
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("sms", assigned.path("channel").asText());
      assertEquals(first, ok(post(ch, of("from", "010-1234-5678", "text", "예약 변경하고 싶어요", "id", "gw-1"))),
          "the same number however written, and a repeated id stores nothing");
      JsonNode second = ok(post(ch, of("from", "01012345678", "text", "내일로요", "id", "gw-2")));
      assertEquals(id, second.path("conversation").asLong());
      assertEquals(2, second.path("seq").asLong());
      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "네, 변경해 드릴게요"));
      assertEquals(3, agent.until("ack").path("seq").asLong());

      JsonNode out = ok(post(ch, of("from", "01012345678", "text", " 수신 거부 ", "id", "gw-3")));
      assertEquals(id, out.path("conversation").asLong());
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertEquals("customer", closed.path("reason").asText());
      assertEquals(indexed("01012345678"), optedOut(s.tenant()));
      assertTrue(ok(post(ch, of("from", "01099998888", "text", "수신거부", "id", "gw-4"))).isEmpty(),
          "an opt-out without an open conversation is taken");
      assertEquals(indexed("01012345678", "01099998888"), optedOut(s.tenant()));

      ok(post(ch, of("from", "01012345678", "text", "다시 문의드려요", "id", "gw-5")));
      assertEquals(indexed("01099998888"), optedOut(s.tenant()), "writing again lifts the opt-out");
    }
  }

  @Test
  void badRequestsAreRefusedAsTheContractSaysAndStoreNothing() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    byte[] good = of("from", "01012345678", "text", "안녕하세요", "id", "gw-1").toString()
        .getBytes(StandardCharsets.UTF_8);
    double refused = inboundCount(server, "bad_signature");
    assertRefused(401, "unauthorized", post(ch.path(), Map.of(), good));
    assertRefused(401, "unauthorized", post(ch.path(), Map.of(SmsInbound.KEY_HEADER, "chsec_wrong"), good));
    assertEquals(refused + 2, inboundCount(server, "bad_signature"), "each counted");
    Map<String, String> key = Map.of(SmsInbound.KEY_HEADER, ch.secret());
    assertRefused(404, "not_found", post("/channels/" + tenant + "/nope/sms", key, good));
    assertRefused(400, "bad_json", post(ch, "[1,"));
    assertInvalid(post(ch, of("text", "x", "id", "gw-1")), "from");
    assertInvalid(post(ch, of("from", "call me", "text", "x", "id", "gw-1")), "from");
    assertInvalid(post(ch, of("from", "01012345678", "text", "x")), "id");
    assertInvalid(post(ch, of("from", "01012345678", "id", "gw-1")), "text");
    assertInvalid(post(ch, of("from", "01012345678", "text", 5, "id", "gw-1")), "text");
    byte[] big = of("from", "01012345678", "text", "x".repeat(9000), "id", "gw-1").toString()
        .getBytes(StandardCharsets.UTF_8);
    assertRefused(413, "too_large", post(ch.path(), key, big));
    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/channels/sms", ch.setup().adminToken(),
        of("enabled", false));
    assertRefused(403, "forbidden", post(ch.path(), key, good));
    assertRefused(403, "forbidden", post(ch, of("from", "01012345678", "text", "수신거부", "id", "gw-2")));
    assertEquals(List.of(0, 0, 0), stored(server, tenant), "customers, conversations and kept answers");
    assertEquals(List.of(), optedOut(tenant));
  }




  /** Opted-out numbers as they are kept: their blind index alone (README, Encryption of personal fields). */
  private static List<String> indexed(String... numbers) {
    io.sangdam.crypto.FieldCipher keys = server.fieldCipher();
    return java.util.Arrays.stream(numbers).map(n -> keys.indexText("sms-number", n)).sorted().toList();
  }

  private static List<String> optedOut(String tenant) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            SELECT o.number FROM sms_opt_out o JOIN channel ch ON ch.id = o.channel_id JOIN tenant t
            ON t.id = ch.tenant_id WHERE t.code = ? ORDER BY o.number
            """)) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

}
