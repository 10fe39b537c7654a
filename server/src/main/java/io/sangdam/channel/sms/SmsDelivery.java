package io.sangdam.channel.sms;

import static java.util.Objects.requireNonNull;

import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelDelivery;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.OutboundItem;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sends an agent's text to an SMS channel's customer through the company's gateway: one POST to
 * {@code gatewayUrl} per part ({@link SmsText}: SMS up to 90 EUC-KR bytes, else LMS parts of up to 2,000),
 * in order, its body the channel's {@code bodyTemplate} with {@code {to}}, {@code {from}}, {@code {text}},
 * {@code {type}} and {@code {id}} filled in (escaped for a JSON string when the {@code contentType} is JSON,
 * URL-encoded when it is a form, as they are otherwise), and the {@code authHeader} ({@code Name: value})
 * sent with it. {@code {id}} is {@code <conversation>-<seq>-<part>}: the same on a retry, so a gateway that
 * drops repeats by it sends a part once. A 2xx is sent; 5xx, 429 and no answer are tried again; any other
 * answer is a failure. A number that opted out gets nothing; a file (MMS) is not sent; an end of
 * conversation sends nothing (SMS has no session to end) but its rating question when it asks one (its
 * {@code {id}} {@code <conversation>-<seq>-r<part>}, apart from the last message's).
 */
public final class SmsDelivery implements ChannelDelivery {
  private static final String JSON = "application/json; charset=utf-8";

  private final HttpClient http;
  private final SmsOptOuts optOuts;
  private final Executor blocking;
  private final Duration timeout;

  /** {@code blocking}: where the opt-out is looked up (it reads the database). */
  public SmsDelivery(HttpClient http, SmsOptOuts optOuts, Executor blocking, Duration timeout) {
    this.http = requireNonNull(http, "http");
    this.optOuts = requireNonNull(optOuts, "optOuts");
    this.blocking = requireNonNull(blocking, "blocking");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item) {
    if (item.type() == OutboundItem.Type.CLOSED && item.survey().isEmpty()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
    }
    if (item.file().isPresent()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.failed(
          "files are not sent by SMS (MMS is not supported): send a link instead"));
    }
    return CompletableFuture.supplyAsync(() -> optOuts.optedOut(channel.id(), item.user()), blocking)
        .thenCompose(out -> out
            ? CompletableFuture.completedFuture(DeliveryOutcome.failed("the customer sent " + SmsInbound.OPT_OUT
                + " (opted out): nothing more is sent to " + item.user()))
            : send(channel, item, SmsText.parts(item.survey().orElse(item.plainText())), 0))
        .exceptionally(e -> DeliveryOutcome.retry("the SMS gateway was not called: " + e));
  }

  /** The parts from {@code index} on, one after the other; the first that does not go through decides. */
  private CompletableFuture<DeliveryOutcome> send(Channel channel, OutboundItem item, List<SmsText.Part> parts,
      int index) {
    if (index == parts.size()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
    }
    HttpRequest request;
    try {
      request = request(channel, item, parts.get(index), index + 1);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(DeliveryOutcome.failed("the SMS gateway settings are unusable: "
          + e.getMessage()));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle((r, e) -> e != null ? DeliveryOutcome.retry("the SMS gateway did not answer: " + e.getMessage())
            : outcome(r))
        .thenCompose(o -> o.result() == DeliveryOutcome.Result.DELIVERED ? send(channel, item, parts, index + 1)
            : CompletableFuture.completedFuture(o));
  }

  private HttpRequest request(Channel channel, OutboundItem item, SmsText.Part part, int number) {
    String contentType = channel.setting("contentType").orElse(JSON);
    Map<String, String> values = Map.of("to", item.user(), "from", channel.setting("fromNumber").orElse(""),
        "text", part.text(), "type", part.type(), "id", item.conversationId() + "-" + item.seq() + "-"
        + (item.type() == OutboundItem.Type.CLOSED ? "r" : "") + number);
    String body = fill(channel.setting("bodyTemplate").orElse(""), values, contentType);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(channel.setting("gatewayUrl").orElse("")))
        .timeout(timeout).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    channel.setting("authHeader").ifPresent(h -> {
      int colon = h.indexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException("authHeader must be 'Name: value'");
      }
      b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
    });
    return b.build();
  }

  /** The template with each {@code {name}} replaced by its value, escaped for the body's content type. */
  static String fill(String template, Map<String, String> values, String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = open < 0 ? -1 : template.indexOf('}', open);
      String name = close < 0 ? null : template.substring(open + 1, close);
      if (name == null || !values.containsKey(name)) {
        int to = open < 0 ? template.length() : open + 1;
        out.append(template, i, to);
        i = to;
        continue;
      }
      out.append(template, i, open).append(escaped(values.get(name), type));
      i = close + 1;
    }
    return out.toString();
  }

  private static String escaped(String value, String contentType) {
    if (contentType.contains("json")) {
      StringBuilder s = new StringBuilder();
      value.chars().forEach(c -> {
        switch (c) {
          case '"' -> s.append("\\\"");
          case '\\' -> s.append("\\\\");
          case '\n' -> s.append("\\n");
          case '\r' -> s.append("\\r");
          case '\t' -> s.append("\\t");
          default -> s.append(c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c));
        }
      });
      return s.toString();
    }
    if (contentType.contains("x-www-form-urlencoded")) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
    return value;
  }

  private static DeliveryOutcome outcome(HttpResponse<String> r) {
    int status = r.statusCode();
    if (status / 100 == 2) {
      return DeliveryOutcome.delivered();
    }
    String detail = "the SMS gateway answered HTTP " + status + snippet(r.body());
    if (status == 429) {
      return r.headers().firstValue("Retry-After").filter(v -> v.matches("[0-9]{1,6}"))
          .map(v -> DeliveryOutcome.retryAfter(detail, Duration.ofSeconds(Long.parseLong(v))))
          .orElse(DeliveryOutcome.retry(detail));
    }
    return status >= 500 ? DeliveryOutcome.retry(detail) : DeliveryOutcome.failed(detail);
  }

  private static String snippet(String body) {
    String s = body == null ? "" : body.strip();
    return s.isEmpty() ? "" : ": " + (s.length() > 200 ? s.substring(0, 200) + "…" : s);
  }
}
