package io.sangdam.channel.naver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.DeliveryOutcome.Result;
import io.sangdam.channel.OutboundItem;
import io.sangdam.protocol.Json;
import io.sangdam.webhook.WebhookUrls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
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
}
