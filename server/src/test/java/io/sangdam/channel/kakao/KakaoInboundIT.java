package io.sangdam.channel.kakao;

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
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A KakaoTalk dealer's webhook events, posted as the dealers' public 상담톡 documents shape them (Happytalk
 * developer center, "카카오톡 웹훅 > 상담톡": "상담 메시지 수신", "사용자 메타 정보 수신" with {@code user_key},
 * {@code sender_key}, {@code time}, {@code session_id}; Nexus 상담톡 API, "2.2.3 상담 세션(Session)": the session
 * starts when the customer asks and ends by their end command, a deleted chat, a blocked channel or 30 days
 * without a message), with the credentials in headers as the dealers use them ({@code HT-Client-Id},
 * {@code HT-Client-Secret}).
 */
class KakaoInboundIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.maxRequestBytes", "8192");

  private static final String SENDER_KEY = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2";

  /** A tenant with a KAKAO channel {@code kakao} into its queue, and the secret the dealer is given. */
  private record Channel(TestServer.Setup setup, String secret) {
    String path(String event) {
      return "/channels/" + setup.tenant() + "/kakao/kakao/" + event;
    }
  }

  private static Channel channel() {
    TestServer.Setup s = server.setUp();
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue(), "apiUrl",
            "http://192.0.2.1/dealer", "clientId", "our-id", "clientSecret", "dealer-issued-secret",
            "senderKey", SENDER_KEY));
    assertEquals("/channels/" + s.tenant() + "/kakao/kakao", created.path("inboundUrl").asText());
    assertEquals("dealer-issued-secret", created.path("clientSecret").asText(), "shown in the answer that made it");
    JsonNode read = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/channels/kakao", s.adminToken(),
        null);
    assertFalse(read.has("clientSecret"), "never again: " + read);
    assertEquals(SENDER_KEY, read.path("senderKey").asText());
    String audited = server.http().expect(200, "GET", "/api/audit?action=manage.post&tenant=" + s.tenant(),
        s.adminToken(), null).path("entries").get(0).path("detail").asText();
    assertFalse(audited.contains("dealer-issued-secret"), "nor in the audit log: " + audited);
    return new Channel(s, created.path("secret").asText());
  }

  private static Http.Response post(Channel ch, String event, Object body) {
    return post(ch.path(event), Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, ch.secret()),
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Http.Response post(String path, Map<String, String> headers, byte[] body) {
    return server.http().sendSigned("POST", path, headers, body);
  }

  private static JsonNode ok(Http.Response r) {
    assertEquals(200, r.status(), r.body().toString());
    assertEquals(0, r.body().path("code").asInt(-1), "the dealers' 'done': " + r.body());
    return r.body();
  }

  private static Object text(String user, String serial, String content) {
    return of("user_key", user, "sender_key", SENDER_KEY, "time", 1_700_000_000_000L, "serial_number", serial,
        "type", "text", "content", content);
  }

  @Test
  void aSessionStartsARoutedConversationItsMessagesJoinItAndTheCustomersEndClosesIt() throws SQLException {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      // "사용자 메타 정보 수신": the customer pressed 상담하기; the session starts before any message.
      JsonNode started = ok(post(ch, "reference", of("user_key", "uk-1", "sender_key", SENDER_KEY,
          "time", 1_700_000_000_000L, "session_id", "ses-1", "reference", of("extra", "order-77"))));
      long id = started.path("conversation").asLong();
      assertFalse(started.has("seq"));
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("kakao", assigned.path("channel").asText());

      // "상담 메시지 수신": a text, then a photo kept as the URL of Kakao's copy.
      JsonNode first = ok(post(ch, "message", text("uk-1", "7001", "배송이 안 왔어요")));
      assertEquals(id, first.path("conversation").asLong());
      assertEquals(1, first.path("seq").asLong());
      assertEquals("배송이 안 왔어요", agent.until("message").path("text").asText());
      JsonNode photo = ok(post(ch, "message", of("user_key", "uk-1", "sender_key", SENDER_KEY, "time", 1L,
          "serial_number", 7002, "type", "photo", "attachment", "http://dn-m.talk.kakao.com/talkm/x/i_abc.jpg")));
      assertEquals(2, photo.path("seq").asLong());
      assertEquals("[사진] http://dn-m.talk.kakao.com/talkm/x/i_abc.jpg", agent.next("message").path("text").asText());

      assertEquals(first, ok(post(ch, "message", text("uk-1", "7001", "배송이 안 왔어요"))), "a repeat is answered the same");
      assertEquals(started, ok(post(ch, "reference", of("user_key", "uk-1", "sender_key", SENDER_KEY,
          "session_id", "ses-1"))), "and a repeated session start");
      assertTrue(agent.quietFor(300), "and the agent hears nothing more");
      assertEquals(2, server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
          .path("messages").size(), "each stored once");

      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "확인해 드리겠습니다"));
      assertEquals(3, agent.next("ack").path("seq").asLong());
      // The customer ended the session (their end command): the conversation ends as the customer leaving it.
      JsonNode ended = ok(post(ch, "expired", of("user_key", "uk-1", "sender_key", SENDER_KEY, "session_id", "ses-1")));
      assertEquals(id, ended.path("conversation").asLong());
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertEquals("customer", closed.path("reason").asText());
      assertEquals(ended, ok(post(ch, "expired", of("user_key", "uk-1", "sender_key", SENDER_KEY,
          "session_id", "ses-1"))), "a repeated end");
      assertFalse(ok(post(ch, "expired", of("user_key", "uk-2", "sender_key", SENDER_KEY, "session_id", "ses-9")))
          .has("conversation"), "the end of a session without an open conversation is taken, and changes nothing");
      assertEquals(List.of(1, 1, 4), stored(server, s.tenant()));
    }
  }

  @Test
  void badRequestsAreRefusedAsTheContractSaysAndStoreNothing() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    byte[] good = text("uk-1", "1", "안녕하세요").toString().getBytes(StandardCharsets.UTF_8);
    double refused = inboundCount(server, "bad_signature");

    assertRefused(401, "unauthorized", post(ch.path("message"), Map.of(), good));
    assertRefused(401, "unauthorized", post(ch.path("message"), Map.of(KakaoInbound.CLIENT_ID, "kakao",
        KakaoInbound.CLIENT_SECRET, "chsec_wrong"), good));
    assertRefused(401, "unauthorized", post(ch.path("message"), Map.of(KakaoInbound.CLIENT_ID, "other",
        KakaoInbound.CLIENT_SECRET, ch.secret()), good));
    assertRefused(401, "unauthorized", post(ch.path("message"), Map.of(KakaoInbound.CLIENT_SECRET, ch.secret()),
        good));
    assertEquals(refused + 4, inboundCount(server, "bad_signature"), "each counted");

    Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, ch.secret());
    assertRefused(404, "not_found", post("/channels/" + tenant + "/nope/kakao/message", keys, good));
    assertRefused(404, "not_found", post("/channels/" + tenant + "/kakao/inbound", keys, good));

    assertRefused(400, "bad_json", post(ch, "message", "{\"user_key\":"));
    assertInvalid(post(ch, "message", of("sender_key", SENDER_KEY, "serial_number", "1", "content", "x")), "user_key");
    assertInvalid(post(ch, "message", of("user_key", "uk-1", "sender_key", "another-profile", "serial_number", "1",
        "content", "x")), "sender_key");
    assertInvalid(post(ch, "message", of("user_key", "uk-1", "sender_key", SENDER_KEY, "content", "x")),
        "serial_number");
    assertInvalid(post(ch, "message", of("user_key", "uk-1", "sender_key", SENDER_KEY, "serial_number", "1",
        "type", "text")), "content");
    assertInvalid(post(ch, "message", of("user_key", "uk-1", "sender_key", SENDER_KEY, "serial_number", "1",
        "type", "sticker", "content", "x")), "type");
    assertInvalid(post(ch, "message", of("user_key", "uk-1", "sender_key", SENDER_KEY, "serial_number", "1",
        "type", "photo")), "attachment");
    assertInvalid(post(ch, "expired", of("user_key", "uk-1", "sender_key", SENDER_KEY)), "session_id");
    byte[] big = text("uk-1", "1", "x".repeat(9000)).toString().getBytes(StandardCharsets.UTF_8);
    assertRefused(413, "too_large", post(ch.path("message"), keys, big));

    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/channels/kakao", ch.setup().adminToken(),
        of("enabled", false));
    assertRefused(403, "forbidden", post(ch.path("message"), keys, good));
    assertEquals(List.of(0, 0, 0), stored(server, tenant), "customers, conversations and kept answers");
  }




}
