package io.sangdam.channel.sms;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.DeliveryOutcome.Result;
import io.sangdam.channel.OutboundItem;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcSmsOptOuts;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SmsDelivery} against a fake HTTP gateway on 127.0.0.1 of the kind Korean SMS vendors sell (a POST
 * with an authorization header and the recipient, sender number, message type and text in its body; 2xx
 * for taken, 4xx for a refused request, 5xx for its own trouble), through the channel's body template;
 * the opt-out is the one the inbound webhook keeps.
 */
class SmsDeliveryIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final ObjectMapper mapper = new ObjectMapper();
  private static final String JSON_TEMPLATE =
      "{\"to\":\"{to}\",\"from\":\"{from}\",\"type\":\"{type}\",\"text\":\"{text}\",\"ref\":\"{id}\"}";

  private HttpServer gateway;
  /** What the gateway took: each request's fields, in order. */
  private final List<Map<String, String>> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failNext = new AtomicInteger();
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  private Database db;
  private SmsDelivery delivery;

  @BeforeEach
  void start() throws IOException {
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.createContext("/send", this::take);
    gateway.start();
    TestDatabase.Url url = server.database();
    db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher());
    delivery = new SmsDelivery(HttpClient.newHttpClient(), new JdbcSmsOptOuts(db, Clock.systemUTC()), blocking,
        Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
    blocking.shutdownNow();
    db.close();
  }

  private void take(HttpExchange x) throws IOException {
    int status;
    byte[] body = x.getRequestBody().readAllBytes();
    if (!"Bearer gw-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
      status = 401;
    } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = 502;
    } else {
      Map<String, String> fields = fields(x.getRequestHeaders().getFirst("Content-Type"), body);
      status = fields.getOrDefault("to", "").matches("0[0-9]{7,14}") ? 200 : 400;
      if (status == 200) {
        sent.add(fields);
      }
    }
    byte[] answer = (status == 200 ? "{\"result\":\"OK\"}" : "{\"result\":\"ERROR\"}").getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, answer.length);
    x.getResponseBody().write(answer);
    x.close();
  }

  private static Map<String, String> fields(String contentType, byte[] body) throws IOException {
    Map<String, String> out = new HashMap<>();
    if (contentType.startsWith("application/json")) {
      JsonNode node = mapper.readTree(body);
      node.fieldNames().forEachRemaining(n -> out.put(n, node.path(n).asText()));
    } else {
      for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
        String[] kv = pair.split("=", 2);
        out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** A tenant's SMS channel posting to the fake gateway, as the server stores it. */
  private Channel channel(String template, String contentType) throws SQLException {
    TestServer.Setup s = server.setUp();
    Map<String, Object> body = new HashMap<>(Map.of("code", "sms", "kind", "SMS", "center", s.center(), "queue",
        s.queue(), "gatewayUrl", "http://192.0.2.1/send", "bodyTemplate", template, "fromNumber", "15880000",
        "authHeader", "Authorization: Bearer gw-token"));
    if (contentType != null) {
      body.put("contentType", contentType);
    }
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of(body.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray()))
        .path("secret").asText();
    long id = channelId(s.tenant());
    Map<String, String> settings = new HashMap<>();
    body.forEach((k, v) -> settings.put(k, v.toString()));
    settings.keySet().removeAll(List.of("code", "kind", "center", "queue"));
    // The gateway is on loopback, which a channel's settings may not name: the record carries it instead.
    settings.put("gatewayUrl", "http://127.0.0.1:" + gateway.getAddress().getPort() + "/send");
    return new Channel(id, 0, "sms", ChannelKind.SMS, 0, 0, true, settings, secret, Instant.now());
  }

  private static long channelId(String tenant) throws SQLException {
    TestDatabase.Url url = server.database();
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(
            "SELECT ch.id FROM channel ch JOIN tenant t ON t.id = ch.tenant_id WHERE t.code = ? AND ch.code = 'sms'")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static OutboundItem message(String to, long seq, String text) {
    return new OutboundItem(seq, 42, seq, OutboundItem.Type.MESSAGE, to, "agent", "상담사", text, Instant.now(),
        Optional.empty(), Optional.empty(), 1);
  }

  private DeliveryOutcome deliver(Channel ch, OutboundItem item) throws Exception {
    return delivery.deliver(ch, item).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aShortTextGoesAsOneSmsThroughTheTemplateEscapedForJson() throws Exception {
    Channel ch = channel(JSON_TEMPLATE, null);
    String text = "예약이 \"확정\"되었습니다.\n감사합니다";
    assertEquals(Result.DELIVERED, deliver(ch, message("01012345678", 3, text)).result());
    assertEquals(List.of(Map.of("to", "01012345678", "from", "15880000", "type", "SMS", "text", text,
        "ref", "42-3-1")), sent);
  }

  @Test
  void overNinetyBytesIsAnLmsAndOverTwoThousandSeveralInOrder() throws Exception {
    Channel ch = channel(JSON_TEMPLATE, null);
    String lms = "가".repeat(46);
    assertEquals(Result.DELIVERED, deliver(ch, message("01012345678", 4, lms)).result());
    assertEquals("LMS", sent.get(0).get("type"));
    assertEquals(lms, sent.get(0).get("text"));

    String longText = "가".repeat(1000) + "나".repeat(1000) + "다";
    assertEquals(Result.DELIVERED, deliver(ch, message("01012345678", 5, longText)).result());
    assertEquals(List.of("42-5-1", "42-5-2", "42-5-3"), sent.subList(1, 4).stream().map(m -> m.get("ref")).toList());
    assertEquals("가".repeat(1000), sent.get(1).get("text"));
    assertEquals("나".repeat(1000), sent.get(2).get("text"));
    assertEquals("다", sent.get(3).get("text"));
    sent.subList(1, 4).forEach(m -> assertEquals("LMS", m.get("type"), "every part of a long text is an LMS"));
  }

  @Test
  void aFormTemplateIsUrlEncoded() throws Exception {
    Channel ch = channel("to={to}&msg={text}&kind={type}", "application/x-www-form-urlencoded");
    assertEquals(Result.DELIVERED, deliver(ch, message("01012345678", 1, "A&B=C 안녕")).result());
    assertEquals(List.of(Map.of("to", "01012345678", "msg", "A&B=C 안녕", "kind", "SMS")), sent);
  }

  @Test
  void theGatewaysTroubleIsRetriedAndARefusalFails() throws Exception {
    Channel ch = channel(JSON_TEMPLATE, null);
    failNext.set(1);
    DeliveryOutcome down = deliver(ch, message("01012345678", 1, "안녕하세요"));
    assertEquals(Result.RETRY, down.result());
    assertTrue(down.detail().contains("502"), down.detail());
    assertEquals(Result.DELIVERED, deliver(ch, message("01012345678", 1, "안녕하세요")).result());
    DeliveryOutcome refused = deliver(ch, message("not-a-number", 2, "안녕하세요"));
    assertEquals(Result.FAILED, refused.result());
    assertTrue(refused.detail().contains("400"), refused.detail());
    assertEquals(1, sent.size());
  }

  @Test
  void aNumberThatOptedOutGetsNothingAndAClosedConversationSendsNothing() throws Exception {
    Channel ch = channel(JSON_TEMPLATE, null);
    String tenant = tenantOf(ch);
    assertEquals(200, server.http().sendSigned("POST", "/channels/" + tenant + "/sms/sms",
        Map.of(SmsInbound.KEY_HEADER, ch.secret()), of("from", "010-5555-6666", "text", "수신거부", "id", "g-1")
            .toString().getBytes(StandardCharsets.UTF_8)).status());
    DeliveryOutcome out = deliver(ch, message("01055556666", 1, "혹시 더 필요하신 게 있나요?"));
    assertEquals(Result.FAILED, out.result());
    assertTrue(out.detail().contains("수신거부"), out.detail());
    OutboundItem closed = new OutboundItem(2, 42, 2, OutboundItem.Type.CLOSED, "01012345678", "agent", "상담사", null,
        Instant.now(), Optional.of("agent"), Optional.empty(), 1);
    assertEquals(Result.DELIVERED, deliver(ch, closed).result());
    assertTrue(sent.isEmpty(), "nothing reached the gateway: " + sent);
  }

  private static String tenantOf(Channel ch) throws SQLException {
    TestDatabase.Url url = server.database();
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(
            "SELECT t.code FROM tenant t JOIN channel ch ON ch.tenant_id = t.id WHERE ch.id = ?")) {
      ps.setLong(1, ch.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
