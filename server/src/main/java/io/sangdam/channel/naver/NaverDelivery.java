package io.sangdam.channel.naver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelDelivery;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.OutboundItem;
import io.sangdam.chat.Choice;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.webhook.WebhookUrls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Delivers to a Naver TalkTalk channel's customer through the partner API's 보내기 API (navertalk/chatbot-api,
 * README "보내기 API 작성 방법"): {@code POST} the channel's {@code partnerApiUrl} with its
 * {@code authorizationKey} as the {@code Authorization} header and {@code
 * {"event":"send","user","textContent":{"text"}}}. Naver answers HTTP 200 with {@code success} and a
 * {@code resultCode} ("오류 명세"): {@code 00} is delivered; {@code 01} (the key), {@code 02} (the JSON),
 * {@code 99} (anything else Naver refused, such as a user it cannot reach) and the {@code IMG-}
 * codes are failures that sending again would repeat. A 5xx, a 429, no answer or an answer that is
 * not Naver's JSON is tried again; any other HTTP status fails.
 *
 * <p>A bot's buttons go as Naver shows them, each a {@code TEXT} button whose {@code code} is {@code button:<id>}
 * (a tap comes back as a {@code send} with that code, read as the button by {@link NaverEvent}): as 퀵 버튼
 * ({@code textContent.quickReply}, titles of at most {@value #MAX_QUICK_TITLE} characters) when every label fits; else
 * under a composite ({@code compositeContent}: the text as its {@code description}, at most
 * {@value #MAX_DESCRIPTION} characters, and a {@code buttonList} of titles of at most {@value #MAX_COMPOSITE_TITLE});
 * else, and past {@value #MAX_BUTTONS} buttons, as numbered options in the text ({@link OutboundItem#plainText}).
 *
 * <p>What it does not send: a file (Naver takes images only from a public URL, {@code
 * imageContent.imageUrl}, which this server has not; the item fails saying so), and a conversation's end
 * (the API has no event for it: delivered without a call, or as its rating question when it asks one).
 */
public final class NaverDelivery implements ChannelDelivery {
  /** Where sends go when the channel names no {@code partnerApiUrl}. */
  public static final String DEFAULT_API_URL = "https://gw.talk.naver.com/chatbot/v1/event";
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** README "Composite Object" and "ButtonData Object(OPTION 타입)": at most 10 buttons, which 퀵 버튼 follow. */
  static final int MAX_BUTTONS = 10;
  /** README "퀵 버튼": "버튼 title의 글자 수는 10자로 제한됩니다". */
  static final int MAX_QUICK_TITLE = 10;
  /** README "ButtonData Object(TEXT 타입)": a composite's button title "최대 길이는 18자". */
  static final int MAX_COMPOSITE_TITLE = 18;
  /** README "Composite Object": {@code description} "최대 길이는 1000자". */
  static final int MAX_DESCRIPTION = 1000;
  /** What a button's {@code code} starts with; the rest is the button's id. */
  static final String BUTTON_CODE = "button:";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final WebhookUrls urls;
  private final Json json;
  private final Executor blocking;

  /** {@code urls}: where a channel may be called; {@code blocking}: where the URL's host is looked up. */
  public NaverDelivery(WebhookUrls urls, Json json, Executor blocking) {
    this.urls = requireNonNull(urls, "urls");
    this.json = requireNonNull(json, "json");
    this.blocking = requireNonNull(blocking, "blocking");
  }

  @Override
  public CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item) {
    if (item.type() == OutboundItem.Type.CLOSED && item.survey().isEmpty()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
    }
    if (item.file().isPresent()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.failed("Naver TalkTalk takes images only from a"
          + " public URL: the file '" + item.file().get().name() + "' was not sent"));
    }
    return CompletableFuture.supplyAsync(() -> request(channel, item), blocking)
        .thenCompose(request -> request.isEmpty()
            ? CompletableFuture.completedFuture(DeliveryOutcome.failed("the channel's partnerApiUrl may not be called"))
            : http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(this::outcome))
        .exceptionally(e -> DeliveryOutcome.retry("Naver TalkTalk was not reached: " + rootCause(e)));
  }

  /** The send, or empty when the URL's host is one this server may not call now. */
  private Optional<HttpRequest> request(Channel channel, OutboundItem item) {
    URI uri = URI.create(channel.setting("partnerApiUrl").orElse(DEFAULT_API_URL));
    if (urls.forbiddenNow(uri).isPresent()) {
      return Optional.empty();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", "send");
    body.put("user", item.user());
    if (item.type() == OutboundItem.Type.CLOSED) {
      body.put("textContent", question(item.survey().orElseThrow()));
    } else {
      body.putAll(content(item));
    }
    return Optional.of(HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json;charset=UTF-8")
        .header("Authorization", channel.setting("authorizationKey").orElse(""))
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.write(body)))
        .build());
  }

  /** A message's content: {@code textContent} or {@code compositeContent}, its buttons as Naver can show them. */
  static Map<String, Object> content(OutboundItem item) {
    List<Choice> buttons = item.buttons();
    String text = item.text() == null ? "" : item.text();
    if (buttons.isEmpty() || buttons.size() > MAX_BUTTONS) {
      return Map.of("textContent", Map.of("text", item.plainText()));
    }
    if (fit(buttons, MAX_QUICK_TITLE)) {
      return Map.of("textContent", Map.of("text", text, "quickReply", Map.of("buttonList", buttonList(buttons))));
    }
    if (fit(buttons, MAX_COMPOSITE_TITLE) && !text.isBlank()
        && text.codePointCount(0, text.length()) <= MAX_DESCRIPTION) {
      return Map.of("compositeContent", Map.of("compositeList", List.of(Map.of("description", text,
          "buttonList", buttonList(buttons)))));
    }
    return Map.of("textContent", Map.of("text", item.plainText()));
  }

  private static boolean fit(List<Choice> buttons, int maxTitle) {
    return buttons.stream().allMatch(b -> b.label().codePointCount(0, b.label().length()) <= maxTitle);
  }

  private static List<Map<String, Object>> buttonList(List<Choice> buttons) {
    return buttons.stream().<Map<String, Object>>map(b -> Map.of("type", "TEXT",
        "data", Map.of("title", b.label(), "code", BUTTON_CODE + b.id()))).toList();
  }

  /**
   * The rating question with 퀵 버튼 ("퀵 버튼": {@code textContent.quickReply.buttonList}) {@code 1점} to
   * {@code 5점}, {@code TEXT} buttons: a tap sends its title as the customer's text (with its {@code code}
   * {@code rating-<n>}), read as any typed score.
   */
  static Map<String, Object> question(String text) {
    List<Map<String, Object>> buttons = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      buttons.add(Map.of("type", "TEXT", "data", Map.of("title", n + "점", "code", "rating-" + n)));
    }
    return Map.of("text", text, "quickReply", Map.of("buttonList", buttons));
  }

  private DeliveryOutcome outcome(HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 500 || status == 429) {
      return DeliveryOutcome.retry("Naver TalkTalk answered HTTP " + status);
    }
    if (status != 200) {
      return DeliveryOutcome.failed("Naver TalkTalk refused the message: HTTP " + status);
    }
    JsonNode answer;
    try {
      answer = json.readObject(response.body());
    } catch (SangdamException e) {
      return DeliveryOutcome.retry("Naver TalkTalk's answer was not its JSON: " + e.getMessage());
    }
    String code = answer.path("resultCode").asText("");
    if (answer.path("success").asBoolean(false) && code.equals("00")) {
      return DeliveryOutcome.delivered();
    }
    String message = answer.path("resultMessage").asText("");
    return DeliveryOutcome.failed(switch (code) {
      case "01" -> "Naver TalkTalk refused the channel's authorization key (01)";
      case "02" -> "Naver TalkTalk could not read the message (02)";
      default -> "Naver TalkTalk refused the message (" + (code.isEmpty() ? "no resultCode" : code) + ")";
    } + (message.isEmpty() ? "" : ": " + message));
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }
}
