package io.sangdam.channel.naver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.DeliveryOutcome.Result;
import io.sangdam.channel.OutboundItem;
import io.sangdam.protocol.Json;
import io.sangdam.chat.Choice;
import io.sangdam.webhook.WebhookUrls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link NaverDelivery} against a local fake of Naver's partner gateway (FakeNaverPartnerApi: the README's sections). */
class NaverDeliveryIT {
  private static final String USER = "al-2eGuGr5WQOnco1_V-FQ";

  private final Json json = new Json();
  private final ExecutorService blocking = Executors.newFixedThreadPool(2);
  private final NaverDelivery delivery = new NaverDelivery(WebhookUrls.system(true), json, blocking);
  private FakeNaverPartnerApi naver;

  @BeforeEach
  void start() throws IOException {
    naver = new FakeNaverPartnerApi("ct_wc8b1i_Pb1AXDQ0RZWuCccpzdNL");
  }

  @AfterEach
  void stop() throws InterruptedException {
    naver.close();
    blocking.shutdownNow();
    assertTrue(blocking.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static Channel channel(Map<String, String> settings) {
    return new Channel(1, 1, "naver", ChannelKind.NAVER_TALKTALK, 1, 1, true, settings, "chsec_x", Instant.now());
  }

  private static OutboundItem message(String text, Optional<OutboundItem.OutboundFile> file) {
    return new OutboundItem(1, 10, 2, OutboundItem.Type.MESSAGE, USER, "agent", "김상담", text, Instant.now(),
        Optional.empty(), file, 1);
  }

  private DeliveryOutcome deliver(Channel channel, OutboundItem item) {
    return delivery.deliver(channel, item).orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void aMessageIsPostedAsTheSendApiDocumentsAndSuccessIsDelivered() {
    DeliveryOutcome outcome = deliver(channel(FakeNaverPartnerApi.settings(naver)), message("확인해 드리겠습니다",
        Optional.empty()));
    assertEquals(Result.DELIVERED, outcome.result(), outcome.detail());
    assertEquals(1, naver.received().size());
    FakeNaverPartnerApi.Received sent = naver.received().get(0);
    assertEquals("ct_wc8b1i_Pb1AXDQ0RZWuCccpzdNL", sent.authorization());
    assertTrue(sent.contentType().startsWith("application/json"), sent.contentType());
    JsonNode body = json.readObject(sent.body());
    assertEquals("send", body.path("event").asText());
    assertEquals(USER, body.path("user").asText());
    assertEquals("확인해 드리겠습니다", body.path("textContent").path("text").asText());
  }

  @Test
  void aServerErrorOrNoAnswerIsTriedAgain() throws IOException {
    naver.answerNext(new FakeNaverPartnerApi.Answer(503, ""));
    DeliveryOutcome outcome = deliver(channel(FakeNaverPartnerApi.settings(naver)), message("안녕하세요",
        Optional.empty()));
    assertEquals(Result.RETRY, outcome.result());
    assertTrue(outcome.detail().contains("503"), outcome.detail());

    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DeliveryOutcome unreachable = deliver(channel(Map.of("authorizationKey", naver.key(), "partnerApiUrl",
        "http://127.0.0.1:" + closedPort + FakeNaverPartnerApi.PATH)), message("안녕하세요", Optional.empty()));
    assertEquals(Result.RETRY, unreachable.result(), unreachable.detail());
  }

  @Test
  void documentedErrorCodesFailWithAReadableReason() {
    DeliveryOutcome wrongKey = deliver(channel(Map.of("authorizationKey", "ct_wrong", "partnerApiUrl", naver.url())),
        message("안녕하세요", Optional.empty()));
    assertEquals(Result.FAILED, wrongKey.result());
    assertTrue(wrongKey.detail().contains("authorization key (01)"), wrongKey.detail());

    naver.answerNext(new FakeNaverPartnerApi.Answer(200,
        "{\"success\":false,\"resultCode\":\"99\",\"resultMessage\":\"차단한 사용자입니다\"}"));
    DeliveryOutcome refused = deliver(channel(FakeNaverPartnerApi.settings(naver)), message("안녕하세요",
        Optional.empty()));
    assertEquals(Result.FAILED, refused.result());
    assertEquals("Naver TalkTalk refused the message (99): 차단한 사용자입니다", refused.detail());
  }

  @Test
  void aFileFailsAndAConversationsEndNeedsNoCall() {
    DeliveryOutcome file = deliver(channel(FakeNaverPartnerApi.settings(naver)), message(null,
        Optional.of(new OutboundItem.OutboundFile(5, "receipt.pdf", "application/pdf", 1000))));
    assertEquals(Result.FAILED, file.result());
    assertTrue(file.detail().contains("receipt.pdf"), file.detail());

    DeliveryOutcome closed = deliver(channel(FakeNaverPartnerApi.settings(naver)), new OutboundItem(2, 10, 3,
        OutboundItem.Type.CLOSED, USER, "system", "", null, Instant.now(), Optional.of("agent"), Optional.empty(), 1));
    assertEquals(Result.DELIVERED, closed.result());
    assertEquals(0, naver.received().size(), "Naver was called for neither");
  }

  private static OutboundItem bot(String text, List<Choice> buttons) {
    return new OutboundItem(1, 10, 2, OutboundItem.Type.MESSAGE, USER, "bot", "상담봇", text, Instant.now(),
        Optional.empty(), Optional.empty(), 1).withButtons(buttons);
  }

  private JsonNode delivered(OutboundItem item) {
    DeliveryOutcome outcome = deliver(channel(FakeNaverPartnerApi.settings(naver)), item);
    assertEquals(Result.DELIVERED, outcome.result(), outcome.detail());
    List<FakeNaverPartnerApi.Received> received = naver.received();
    return json.readObject(received.get(received.size() - 1).body());
  }

  @Test
  void aBotsButtonsGoAsQuickRepliesWhoseCodeNamesTheButton() {
    JsonNode body = delivered(bot("무엇을 도와드릴까요?", List.of(new Choice("order", "주문 조회"),
        new Choice("talk", "상담원 연결"))));
    JsonNode text = body.path("textContent");
    assertEquals("무엇을 도와드릴까요?", text.path("text").asText(), "no numbered options: " + body);
    JsonNode buttons = text.path("quickReply").path("buttonList");
    assertEquals(2, buttons.size(), body.toString());
    assertEquals("TEXT", buttons.get(0).path("type").asText());
    assertEquals("주문 조회", buttons.get(0).path("data").path("title").asText());
    assertEquals("button:order", buttons.get(0).path("data").path("code").asText());
    assertEquals("button:talk", buttons.get(1).path("data").path("code").asText());
  }

  @Test
  void labelsTooLongForQuickRepliesGoUnderACompositeAndPastNaversLimitsAsNumberedText() {
    String overTen = "배송이 늦어지는 이유가";
    JsonNode composite = delivered(bot("혹시 이 질문인가요?", List.of(new Choice("_faq1", overTen),
        new Choice("_none", "아니요"))));
    assertFalse(composite.has("textContent"), composite.toString());
    JsonNode first = composite.path("compositeContent").path("compositeList").get(0);
    assertEquals("혹시 이 질문인가요?", first.path("description").asText());
    assertEquals(overTen, first.path("buttonList").get(0).path("data").path("title").asText());
    assertEquals("button:_faq1", first.path("buttonList").get(0).path("data").path("code").asText());

    String overEighteen = "카드 분실 신고는 어디서 하나요? 급해요";
    JsonNode numbered = delivered(bot("혹시 이 질문인가요?", List.of(new Choice("_faq1", overEighteen),
        new Choice("_none", "아니요"))));
    assertEquals("혹시 이 질문인가요?\n1. " + overEighteen + "\n2. 아니요", numbered.path("textContent").path("text").asText());
    assertFalse(numbered.path("textContent").has("quickReply"), numbered.toString());

    List<Choice> eleventh = new ArrayList<>();
    for (int i = 1; i <= 11; i++) {
      eleventh.add(new Choice("b" + i, "메뉴 " + i));
    }
    JsonNode many = delivered(bot("메뉴를 고르세요", eleventh));
    assertTrue(many.path("textContent").path("text").asText().endsWith("\n11. 메뉴 11"), many.toString());
    assertFalse(many.path("textContent").has("quickReply"), many.toString());
  }

  @Test
  void theFakeRefusesWhatNaverRefusesAQuickReplyTitleOverTenCharacters() throws Exception {
    String body = "{\"event\":\"send\",\"user\":\"" + USER + "\",\"textContent\":{\"text\":\"고르세요\","
        + "\"quickReply\":{\"buttonList\":[{\"type\":\"TEXT\",\"data\":{\"title\":\"배송이 늦어지는 이유가\","
        + "\"code\":\"button:a\"}}]}}}";
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(naver.url()))
        .header("Authorization", naver.key()).header("Content-Type", "application/json;charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("02", json.readObject(answer.body()).path("resultCode").asText(), answer.body());
  }
}
