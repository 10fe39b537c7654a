package io.sangdam.channel.kakao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.sangdam.chat.Choice;
import io.sangdam.protocol.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KakaoDelivery} against a fake dealer on 127.0.0.1 written from the dealers' public 상담톡 pages:
 * Happytalk developer center "메시지 전송" ({@code POST /v1/chat/write}, headers {@code HT-Client-Id} and
 * {@code HT-Client-Secret}, body {@code user_key} (20), {@code sender_key} (40), {@code serial_number} (30),
 * {@code message_type} {@code TX}, {@code message} (1000)) and "상담방 종료" ({@code POST /v1/chat/end} with
 * {@code user_key} and {@code sender_key}, answered {@code {"code":0,"sessionId":...}}); failures answered
 * {@code {"code":<non-zero>,"message":...}} as its "종료 후 봇 이벤트 실행" example shows ({@code -501}). Nexus
 * 상담톡 API "2.2.3 상담 세션(Session)": an agent can send only while the session is open. The pages found do not
 * publish the code for a closed session; the fake answers it as any refusal, with a non-zero code and a message.
 * Files: "이미지 업로드" and "기타 파일 업로드" (multipart, answered {@code "code":"0000"} and the URL), then
 * "메시지 전송" with {@code IM} and {@code image_url}, or {@code FI} with {@code file_url}, {@code file_name},
 * {@code file_size}. A bot's buttons: {@code LI} with {@code supplement.quick_reply} (바로연결, at most 10; see
 * {@link FakeKakaoDealer#quickReplies}).
 */
class KakaoDeliveryIT {
  private static final String SENDER_KEY = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2";
  private static final ObjectMapper mapper = new ObjectMapper();

  private HttpServer dealer;
  /** The messages the dealer took, by serial_number (a repeat is taken once). */
  private final Map<String, JsonNode> taken = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> ended = Collections.synchronizedSet(new HashSet<>());
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger throttleNext = new AtomicInteger();
  /** The attachments' bytes, as the server's attachment store would give them. */
  private final Map<Long, byte[]> files = new HashMap<>();
  private final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService blocking = Executors.newSingleThreadExecutor();
  private final KakaoDelivery delivery = new KakaoDelivery(HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build(), new Json(), id -> Optional.ofNullable(files.get(id)), blocking,
      Duration.ofSeconds(10));

  @BeforeEach
  void start() throws IOException {
    dealer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    dealer.createContext("/dealer/v1/chat/write", x -> answer(x, write(x)));
    dealer.createContext("/dealer/v1/chat/end", x -> answer(x, end(x)));
    dealer.createContext("/dealer/v1/image/upload", x -> answer(x, upload(x, "image")));
    dealer.createContext("/dealer/v1/file/upload", x -> answer(x, upload(x, "file")));
    dealer.start();
  }

  @AfterEach
  void stop() {
    dealer.stop(0);
    blocking.shutdownNow();
  }

  private record Answer(int status, String body, Map<String, String> headers) {
    Answer(int status, String body) {
      this(status, body, Map.of());
    }
  }

  private Answer write(HttpExchange x) throws IOException {
    Optional<Answer> refused = refused(x);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new Answer(503, "Service Unavailable");
    }
    if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new Answer(429, "", Map.of("Retry-After", "7"));
    }
    JsonNode body = mapper.readTree(x.getRequestBody());
    String user = body.path("user_key").asText();
    String serial = body.path("serial_number").asText();
    String type = body.path("message_type").asText();
    boolean complete = switch (type) {
      case "TX" -> !body.path("message").asText().isEmpty() && body.path("message").asText().length() <= 1000;
      case "LI" -> !body.path("message").asText().isEmpty() && body.path("message").asText().length() <= 1000
          && FakeKakaoDealer.quickReplies(body.path("supplement"));
      case "IM" -> body.path("image_url").asText().startsWith("http://dn-m.talk.kakao.com/");
      case "FI" -> body.path("file_url").asText().startsWith("http://dn-m.talk.kakao.com/")
          && !body.path("file_name").asText().isEmpty() && body.path("file_size").isInt();
      default -> false;
    };
    if (user.isEmpty() || user.length() > 20 || !body.path("sender_key").asText().equals(SENDER_KEY)
        || serial.isEmpty() || serial.length() > 30 || !complete) {
      return new Answer(200, "{\"code\":-100,\"message\":\"InvalidParameterException\"}");
    }
    if (ended.contains(user)) {
      return new Answer(200, "{\"code\":-300,\"message\":\"세션이 종료된 사용자입니다\"}");
    }
    if (taken.putIfAbsent(serial, body) == null) {
      order.add(serial);
    }
    return new Answer(200, "{\"code\":0}");
  }

  private Answer end(HttpExchange x) throws IOException {
    Optional<Answer> refused = refused(x);
    if (refused.isPresent()) {
      return refused.get();
    }
    JsonNode body = mapper.readTree(x.getRequestBody());
    ended.add(body.path("user_key").asText());
    return new Answer(200, "{\"code\":0,\"sessionId\":\"163477524\"}");
  }

  /**
   * "이미지 업로드" / "기타 파일 업로드": multipart/form-data with {@code sender_key} and the {@code image} (or
   * {@code file}) part; answered {@code {"code":"0000","image":<url>}} (or {@code "file"}, {@code "name"},
   * {@code "size"}). Only files kept on Kakao's servers can be sent.
   */
  private Answer upload(HttpExchange x, String part) throws IOException {
    if (!"our-id".equals(x.getRequestHeaders().getFirst("HT-Client-Id"))
        || !"dealer-issued-secret".equals(x.getRequestHeaders().getFirst("HT-Client-Secret"))) {
      return new Answer(401, "{\"code\":-401,\"message\":\"Unauthorized\"}");
    }
    String type = x.getRequestHeaders().getFirst("Content-Type");
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
    if (!type.startsWith("multipart/form-data; boundary=") || !body.contains("name=\"sender_key\"\r\n\r\n" + SENDER_KEY)
        || !body.contains("name=\"" + part + "\"; filename=")) {
      return new Answer(200, "{\"code\":\"-505\",\"message\":\"FailedToUploadFileException\"}");
    }
    String content = body.substring(body.indexOf("\r\n\r\n", body.indexOf("name=\"" + part + "\"")) + 4,
        body.lastIndexOf("\r\n--"));
    uploads.add(part + ":" + content);
    String url = "http://dn-m.talk.kakao.com/talkm/" + uploads.size() + "/" + part;
    return new Answer(200, part.equals("image") ? "{\"code\":\"0000\",\"image\":\"" + url + "\"}"
        : "{\"code\":\"0000\",\"file\":\"" + url + "\",\"name\":\"a.pdf\",\"size\":" + content.length() + "}");
  }

  private static Optional<Answer> refused(HttpExchange x) {
    boolean known = "our-id".equals(x.getRequestHeaders().getFirst("HT-Client-Id"))
        && "dealer-issued-secret".equals(x.getRequestHeaders().getFirst("HT-Client-Secret"))
        && x.getRequestMethod().equals("POST")
        && x.getRequestHeaders().getFirst("Content-Type").startsWith("application/json");
    return known ? Optional.empty() : Optional.of(new Answer(401, "{\"code\":-401,\"message\":\"Unauthorized\"}"));
  }

  private static void answer(HttpExchange x, Answer a) throws IOException {
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    a.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  private Channel channel(String apiUrl, String secret) {
    return new Channel(1, 1, "kakao", ChannelKind.KAKAO, 1, 1, true, Map.of("apiUrl", apiUrl, "clientId", "our-id",
        "clientSecret", secret, "senderKey", SENDER_KEY), "chsec_x", Instant.now());
  }

  private Channel channel() {
    return channel("http://127.0.0.1:" + dealer.getAddress().getPort() + "/dealer/", "dealer-issued-secret");
  }

  private static OutboundItem message(long conversation, long seq, String text) {
    return new OutboundItem(seq, conversation, seq, OutboundItem.Type.MESSAGE, "uk-1", "agent", "상담사", text,
        Instant.now(), Optional.empty(), Optional.empty(), 1);
  }

  private DeliveryOutcome deliver(Channel ch, OutboundItem item) throws Exception {
    return delivery.deliver(ch, item).get(30, TimeUnit.SECONDS);
  }

  @Test
  void aTextIsSentWithTheCustomersKeysAndASerialNumberOfItsConversationAndSeq() throws Exception {
    assertEquals(Result.DELIVERED, deliver(channel(), message(42, 3, "안녕하세요, 상담사입니다.")).result());
    JsonNode sent = taken.get("sd42-3");
    assertEquals("uk-1", sent.path("user_key").asText());
    assertEquals(SENDER_KEY, sent.path("sender_key").asText());
    assertEquals("TX", sent.path("message_type").asText());
    assertEquals("안녕하세요, 상담사입니다.", sent.path("message").asText());
  }

  @Test
  void aDealerOutageIsRetriedAndTheRetryCarriesTheSameSerialNumber() throws Exception {
    failNext.set(1);
    DeliveryOutcome first = deliver(channel(), message(42, 4, "잠시만요"));
    assertEquals(Result.RETRY, first.result(), first.toString());
    assertTrue(first.detail().contains("503"), first.detail());
    assertEquals(Result.DELIVERED, deliver(channel(), message(42, 4, "잠시만요")).result());
    assertEquals(List.of("sd42-4"), order);

    throttleNext.set(1);
    DeliveryOutcome throttled = deliver(channel(), message(42, 5, "곧 답변드릴게요"));
    assertEquals(Result.RETRY, throttled.result());
    assertEquals(Optional.of(Duration.ofSeconds(7)), throttled.retryAfter(), "the dealer's Retry-After");
  }

  @Test
  void noAnswerIsRetried() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DeliveryOutcome o = deliver(channel("http://127.0.0.1:" + closedPort + "/dealer", "dealer-issued-secret"),
        message(1, 1, "x"));
    assertEquals(Result.RETRY, o.result(), o.toString());
  }

  @Test
  void afterTheSessionEndedTheDealerRefusesAndTheItemFailsSayingWhy() throws Exception {
    OutboundItem closed = new OutboundItem(9, 42, 9, OutboundItem.Type.CLOSED, "uk-1", "agent", "상담사", null,
        Instant.now(), Optional.of("agent"), Optional.empty(), 1);
    assertEquals(Result.DELIVERED, deliver(channel(), closed).result(), "상담방 종료: the session is ended");
    assertEquals(Set.of("uk-1"), ended);
    DeliveryOutcome late = deliver(channel(), message(42, 10, "한 가지 더요"));
    assertEquals(Result.FAILED, late.result());
    assertTrue(late.detail().contains("세션이 종료된 사용자입니다") && late.detail().contains("-300")
        && late.detail().contains("session"), late.detail());
    assertTrue(taken.isEmpty());
  }

  /**
   * An end asking for a rating: the question is written while the session is open, under {@code sd<c>-<seq>-r},
   * then the session ended; an outage retries the whole item, the question taken once by its serial_number. Sent
   * again after the end went (at least once), the question is refused and the end still delivered.
   */
  @Test
  void anEndAskingARatingWritesTheQuestionThenEndsTheSession() throws Exception {
    OutboundItem closed = new OutboundItem(9, 42, 9, OutboundItem.Type.CLOSED, "uk-1", "system", "", "",
        Instant.now(), Optional.of("agent"), Optional.empty(), 1).withSurvey("만족하셨나요? 1~5로 답해 주세요");
    failNext.set(1);
    assertEquals(Result.RETRY, deliver(channel(), closed).result());
    assertTrue(ended.isEmpty(), "no end before the question");
    assertEquals(Result.DELIVERED, deliver(channel(), closed).result());
    assertEquals(List.of("sd42-9-r"), order, "the question taken once");
    assertEquals("만족하셨나요? 1~5로 답해 주세요", taken.get("sd42-9-r").path("message").asText());
    assertEquals("TX", taken.get("sd42-9-r").path("message_type").asText());
    assertEquals(Set.of("uk-1"), ended);
    assertEquals(Result.DELIVERED, deliver(channel(), closed).result(), "sent again after the end: still delivered");
    assertEquals(List.of("sd42-9-r"), order);
  }

  @Test
  void aTextOverAThousandCharactersGoesInPartsInOrderEachWithItsSerialNumber() throws Exception {
    String text = "가".repeat(1000) + "나".repeat(1000) + "다".repeat(500);
    assertEquals(Result.DELIVERED, deliver(channel(), message(7, 2, text)).result());
    assertEquals(List.of("sd7-2-1", "sd7-2-2", "sd7-2-3"), order);
    assertEquals("가".repeat(1000), taken.get("sd7-2-1").path("message").asText());
    assertEquals("다".repeat(500), taken.get("sd7-2-3").path("message").asText());

    // An emoji is two UTF-16 units: 500 of them fill a part however the dealer counts, and none is cut in half.
    String emoji = "a" + "😀".repeat(500);
    assertEquals(Result.DELIVERED, deliver(channel(), message(7, 3, emoji)).result());
    assertEquals("a" + "😀".repeat(499), taken.get("sd7-3-1").path("message").asText());
    assertEquals("😀", taken.get("sd7-3-2").path("message").asText());
  }

  @Test
  void refusedCredentialsFailWithoutRetry() throws Exception {
    DeliveryOutcome bad = deliver(channel("http://127.0.0.1:" + dealer.getAddress().getPort() + "/dealer",
        "wrong"), message(1, 1, "x"));
    assertEquals(Result.FAILED, bad.result());
    assertTrue(bad.detail().contains("clientSecret"), bad.detail());
    assertTrue(taken.isEmpty());
  }

  @Test
  void anImageAndAFileAreUploadedFirstThenSentByTheirUrl() throws Exception {
    files.put(5L, "PNGDATA".getBytes(StandardCharsets.ISO_8859_1));
    files.put(6L, "PDFDATA".getBytes(StandardCharsets.ISO_8859_1));
    OutboundItem image = new OutboundItem(2, 1, 2, OutboundItem.Type.MESSAGE, "uk-1", "agent", "상담사", "영수증입니다",
        Instant.now(), Optional.empty(), Optional.of(new OutboundItem.OutboundFile(5, "r.png", "image/png", 7)), 1);
    assertEquals(Result.DELIVERED, deliver(channel(), image).result());
    OutboundItem pdf = new OutboundItem(3, 1, 3, OutboundItem.Type.MESSAGE, "uk-1", "agent", "상담사", "",
        Instant.now(), Optional.empty(), Optional.of(new OutboundItem.OutboundFile(6, "a.pdf", "application/pdf", 7)),
        1);
    assertEquals(Result.DELIVERED, deliver(channel(), pdf).result());

    assertEquals(List.of("image:PNGDATA", "file:PDFDATA"), uploads);
    assertEquals(List.of("sd1-2-f", "sd1-2", "sd1-3-f"), order, "the file, then the message's text");
    assertEquals("IM", taken.get("sd1-2-f").path("message_type").asText());
    assertEquals("http://dn-m.talk.kakao.com/talkm/1/image", taken.get("sd1-2-f").path("image_url").asText());
    assertEquals("영수증입니다", taken.get("sd1-2").path("message").asText());
    JsonNode sentFile = taken.get("sd1-3-f");
    assertEquals("FI", sentFile.path("message_type").asText());
    assertEquals("http://dn-m.talk.kakao.com/talkm/2/file", sentFile.path("file_url").asText());
    assertEquals("a.pdf", sentFile.path("file_name").asText());
    assertEquals(7, sentFile.path("file_size").asInt());

    OutboundItem gone = new OutboundItem(4, 1, 4, OutboundItem.Type.MESSAGE, "uk-1", "agent", "상담사", "",
        Instant.now(), Optional.empty(), Optional.of(new OutboundItem.OutboundFile(99, "x.png", "image/png", 1)), 1);
    DeliveryOutcome missing = deliver(channel(), gone);
    assertEquals(Result.FAILED, missing.result());
    assertTrue(missing.detail().contains("gone"), missing.detail());
  }

  private static OutboundItem bot(long seq, String text, List<Choice> buttons) {
    return new OutboundItem(seq, 7, seq, OutboundItem.Type.MESSAGE, "uk-1", "bot", "상담봇", text, Instant.now(),
        Optional.empty(), Optional.empty(), 1).withButtons(buttons);
  }

  @Test
  void aBotsButtonsGoAsBotKeywordQuickRepliesUnderTheMessage() throws Exception {
    assertEquals(Result.DELIVERED, deliver(channel(), bot(2, "무엇을 도와드릴까요?", List.of(
        new Choice("order", "주문 조회"), new Choice("talk", "상담원 연결")))).result());
    JsonNode sent = taken.get("sd7-2");
    assertEquals("LI", sent.path("message_type").asText());
    assertEquals("무엇을 도와드릴까요?", sent.path("message").asText(), "no numbered options: " + sent);
    JsonNode quick = sent.path("supplement").path("quick_reply");
    assertEquals(2, quick.size(), sent.toString());
    assertEquals("주문 조회", quick.get(0).path("name").asText());
    assertEquals("BK", quick.get(0).path("type").asText());
    assertEquals("상담원 연결", quick.get(1).path("name").asText());

    List<Choice> eleven = new ArrayList<>();
    for (int i = 1; i <= 11; i++) {
      eleven.add(new Choice("b" + i, "메뉴 " + i));
    }
    assertEquals(Result.DELIVERED, deliver(channel(), bot(3, "메뉴를 고르세요", eleven)).result());
    JsonNode numbered = taken.get("sd7-3");
    assertEquals("TX", numbered.path("message_type").asText(), "past 10 quick replies: " + numbered);
    assertTrue(numbered.path("message").asText().endsWith("\n11. 메뉴 11"), numbered.toString());
  }

  @Test
  void aLongBotMessageCarriesItsQuickRepliesOnItsLastPart() throws Exception {
    String text = "가".repeat(1500);
    assertEquals(Result.DELIVERED, deliver(channel(), bot(4, text, List.of(new Choice("talk", "상담원 연결"))))
        .result());
    assertEquals(List.of("sd7-4-1", "sd7-4-2"), order);
    assertEquals("TX", taken.get("sd7-4-1").path("message_type").asText());
    assertEquals("LI", taken.get("sd7-4-2").path("message_type").asText());
    assertEquals(text, taken.get("sd7-4-1").path("message").asText() + taken.get("sd7-4-2").path("message").asText());
  }

  @Test
  void theFakeDealerRefusesQuickRepliesTheSpecDoesNotAllow() {
    assertTrue(FakeKakaoDealer.quickReplies(mapper.valueToTree(Map.of("quick_reply", List.of(Map.of("name", "예",
        "type", "BK"))))));
    List<Map<String, String>> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(Map.of("name", "메뉴 " + i, "type", "BK"));
    }
    for (Object refused : List.of(Map.of("quick_reply", eleven), Map.of("quick_reply", List.of()),
        Map.of("quick_reply", List.of(Map.of("name", " ", "type", "BK"))),
        Map.of("quick_reply", List.of(Map.of("name", "링크", "type", "WL"))),
        Map.of("quick_reply", List.of(Map.of("name", "예", "type", "XX"))), Map.of("buttons", List.of()))) {
      assertFalse(FakeKakaoDealer.quickReplies(mapper.valueToTree(refused)), refused.toString());
    }
  }
}
