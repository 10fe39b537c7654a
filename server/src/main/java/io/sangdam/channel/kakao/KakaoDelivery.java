package io.sangdam.channel.kakao;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelDelivery;
import io.sangdam.channel.DeliveryOutcome;
import io.sangdam.channel.OutboundItem;
import io.sangdam.protocol.Json;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Sends to a KAKAO channel's customer through the dealer's API, with the client id and secret it issued
 * ({@code HT-Client-Id}, {@code HT-Client-Secret}). A message is a text ({@code message_type} {@code TX})
 * POSTed to {@code <apiUrl>/v1/chat/write} with the customer's {@code user_key}, the channel's
 * {@code sender_key} and a {@code serial_number} made from the conversation and seq
 * ({@code sd<conversation>-<seq>}, with {@code -<part>} when split), so a retry carries the same one and
 * the dealer can tell it a repeat. A text over {@value #MAX_CHARS} characters (Kakao's limit, Hangul and
 * Latin alike; an emoji counted as two) is split into parts sent in order, each with its own
 * serial_number: the agent's message is committed and shown to them already, so refusing it here would
 * lose their words; splitting delivers all of them. The end of a conversation asks the dealer to end the
 * 상담 session ({@code <apiUrl>/v1/chat/end}), after the rating question when it asks one (a text under the
 * serial_number {@code sd<conversation>-<seq>-r}).
 * <p>The dealer answers {@code {"code":0}} for done and a non-zero {@code code} with a {@code message}
 * when it refuses (the customer's session ended, an unknown user_key or sender_key): that is a failure
 * the agent reads, never retried. 5xx, 429 and no answer are tried again; other 4xx fail. A file is
 * uploaded to the dealer first and sent by the URL it answers, before the message's text.
 * <p>A bot's buttons go as 바로연결 (quick replies) under the message, as the dealer's "메시지 전송" takes them: the
 * message (its last part, when split) as {@code message_type} {@code LI} with {@code supplement}
 * {@code {"quick_reply":[{"name":<label>,"type":"BK"}]}}, at most {@value #MAX_QUICK_REPLIES}. A bot keyword
 * ({@code BK}) button sends its name as the customer's message, so a tap comes back as text, the label, which the
 * bot reads as that button. Past {@value #MAX_QUICK_REPLIES} buttons they are numbered options in the text.
 */
public final class KakaoDelivery implements ChannelDelivery {
  /** The longest text of one 상담톡 message, in characters. */
  public static final int MAX_CHARS = 1_000;
  /** "supplement: 메시지에 첨부할 바로연결 ... 최대 10개까지 발송가능 (message_type이 LI 일시에 동작)". */
  public static final int MAX_QUICK_REPLIES = 10;

  /** Where a file's bytes are read (blocks): {@code Attachments::content} in the server. */
  @FunctionalInterface
  public interface Files {
    Optional<byte[]> content(long attachmentId);
  }

  private final HttpClient http;
  private final Json json;
  private final Files files;
  private final Executor blocking;
  private final Duration timeout;

  /** {@code blocking}: where a file's bytes are read before its upload. */
  public KakaoDelivery(HttpClient http, Json json, Files files, Executor blocking, Duration timeout) {
    this.http = requireNonNull(http, "http");
    this.json = requireNonNull(json, "json");
    this.files = requireNonNull(files, "files");
    this.blocking = requireNonNull(blocking, "blocking");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item) {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("user_key", item.user());
    keys.put("sender_key", channel.setting("senderKey").orElse(""));
    if (item.type() == OutboundItem.Type.CLOSED) {
      if (item.survey().isEmpty()) {
        return post(channel, "/v1/chat/end", keys);
      }
      // The rating question goes while the session is open still; a retry sends it under the same serial_number.
      // Refused (the session ended on Kakao's side, or this is a repeat after the end went), it stops nothing:
      // the session's end is what the item is for.
      Map<String, Object> question = new LinkedHashMap<>(keys);
      question.put("serial_number", "sd" + item.conversationId() + "-" + item.seq() + "-r");
      question.put("message_type", "TX");
      question.put("message", item.survey().get());
      return post(channel, "/v1/chat/write", question).thenCompose(o -> o.result() == DeliveryOutcome.Result.RETRY
          ? CompletableFuture.completedFuture(o) : post(channel, "/v1/chat/end", keys));
    }
    List<String> parts = item.text() == null || item.text().isBlank() ? List.of()
        : parts(quickReplies(item) ? item.text() : item.plainText());
    if (item.file().isEmpty()) {
      return write(channel, item, keys, parts, 0);
    }
    return sendFile(channel, item, keys, item.file().get()).thenCompose(o -> o.result() == DeliveryOutcome.Result
        .DELIVERED ? write(channel, item, keys, parts, 0) : CompletableFuture.completedFuture(o));
  }

  /**
   * A file goes as Kakao takes one: uploaded to the dealer first ({@code /v1/image/upload} for an image,
   * {@code /v1/file/upload} for any other), then sent by the URL the upload answered ({@code IM} with
   * {@code image_url}, or {@code FI} with {@code file_url}, {@code file_name}, {@code file_size}) under
   * the serial_number {@code sd<conversation>-<seq>-f}. A repeated upload on a retry only stores a copy.
   */
  private CompletableFuture<DeliveryOutcome> sendFile(Channel channel, OutboundItem item, Map<String, Object> keys,
      OutboundItem.OutboundFile file) {
    boolean image = file.contentType().startsWith("image/");
    return CompletableFuture.supplyAsync(() -> files.content(file.attachmentId()), blocking)
        .thenCompose(content -> {
          if (content.isEmpty()) {
            return CompletableFuture.completedFuture(DeliveryOutcome.failed("the file of attachment "
                + file.attachmentId() + " is gone"));
          }
          return upload(channel, image, file, content.get()).thenCompose(uploaded -> {
            if (uploaded.outcome().isPresent()) {
              return CompletableFuture.completedFuture(uploaded.outcome().get());
            }
            Map<String, Object> body = new LinkedHashMap<>(keys);
            body.put("serial_number", "sd" + item.conversationId() + "-" + item.seq() + "-f");
            if (image) {
              body.put("message_type", "IM");
              body.put("image_url", uploaded.url());
            } else {
              body.put("message_type", "FI");
              body.put("file_url", uploaded.url());
              body.put("file_name", file.name());
              body.put("file_size", file.size());
            }
            return post(channel, "/v1/chat/write", body);
          });
        })
        .exceptionally(e -> DeliveryOutcome.retry("the file was not read: " + e));
  }

  /** The URL the dealer keeps the file at, or the outcome that stops the item. */
  private record Uploaded(String url, Optional<DeliveryOutcome> outcome) {}

  private CompletableFuture<Uploaded> upload(Channel channel, boolean image, OutboundItem.OutboundFile file,
      byte[] content) {
    String boundary = "sangdam" + UUID.randomUUID().toString().replace("-", "");
    String part = image ? "image" : "file";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"sender_key\"\r\n\r\n"
        + channel.setting("senderKey").orElse("") + "\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"" + part + "\"; filename=\"" + file.name().replaceAll("[\"\\r\\n]", "_") + "\"\r\nContent-Type: "
        + file.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest request;
    try {
      request = dealer(channel, "/v1/" + part + "/upload")
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail))).build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Uploaded(null, Optional.of(DeliveryOutcome.failed(
          "the KakaoTalk dealer's apiUrl is unusable: " + e.getMessage()))));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).handle((r, e) -> {
      if (e != null) {
        return new Uploaded(null, Optional.of(DeliveryOutcome.retry("the KakaoTalk dealer did not answer the upload: "
            + e.getMessage())));
      }
      DeliveryOutcome o = outcome(r, "0000");
      if (o.result() != DeliveryOutcome.Result.DELIVERED) {
        return new Uploaded(null, Optional.of(o));
      }
      String url = json.readObject(r.body()).path(part).asText("");
      return url.isEmpty() ? new Uploaded(null, Optional.of(DeliveryOutcome.failed("the KakaoTalk dealer's upload "
          + "answer has no " + part + " URL"))) : new Uploaded(url, Optional.empty());
    });
  }

  private CompletableFuture<DeliveryOutcome> write(Channel channel, OutboundItem item, Map<String, Object> keys,
      List<String> parts, int index) {
    if (index == parts.size()) {
      return CompletableFuture.completedFuture(DeliveryOutcome.delivered());
    }
    Map<String, Object> body = new LinkedHashMap<>(keys);
    body.put("serial_number", serialNumber(item, parts.size() == 1 ? 0 : index + 1));
    if (quickReplies(item) && index == parts.size() - 1) {
      body.put("message_type", "LI");
      body.put("message", parts.get(index));
      body.put("supplement", Map.of("quick_reply", item.buttons().stream()
          .map(b -> Map.of("name", b.label(), "type", "BK")).toList()));
    } else {
      body.put("message_type", "TX");
      body.put("message", parts.get(index));
    }
    return post(channel, "/v1/chat/write", body).thenCompose(o -> o.result() == DeliveryOutcome.Result.DELIVERED
        ? write(channel, item, keys, parts, index + 1) : CompletableFuture.completedFuture(o));
  }

  /** Whether the item's buttons go as 바로연결 (else, when it has any, as numbered options in its text). */
  private static boolean quickReplies(OutboundItem item) {
    return !item.buttons().isEmpty() && item.buttons().size() <= MAX_QUICK_REPLIES;
  }

  /** {@code sd<conversation>-<seq>}, and {@code -<part>} from 1 when the text is split. */
  static String serialNumber(OutboundItem item, int part) {
    return "sd" + item.conversationId() + "-" + item.seq() + (part == 0 ? "" : "-" + part);
  }

  /**
   * The text in parts of at most {@value #MAX_CHARS} UTF-16 units, never splitting a character: a character
   * outside the BMP (an emoji) is two units, so the part is within the limit however the dealer counts it.
   */
  static List<String> parts(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); ) {
      int units = Character.charCount(text.codePointAt(i));
      if (i + units - start > MAX_CHARS) {
        parts.add(text.substring(start, i));
        start = i;
      }
      i += units;
    }
    parts.add(text.substring(start));
    return parts;
  }

  /** A request to the dealer's {@code path}, with the channel's client credentials. */
  private HttpRequest.Builder dealer(Channel channel, String path) {
    return HttpRequest.newBuilder(URI.create(channel.setting("apiUrl").orElse("").replaceAll("/+$", "") + path))
        .timeout(timeout)
        .header(KakaoInbound.CLIENT_ID, channel.setting("clientId").orElse(""))
        .header(KakaoInbound.CLIENT_SECRET, channel.setting("clientSecret").orElse(""));
  }

  private CompletableFuture<DeliveryOutcome> post(Channel channel, String path, Map<String, Object> body) {
    HttpRequest request;
    try {
      request = dealer(channel, path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.write(body))).build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(DeliveryOutcome.failed("the KakaoTalk dealer's apiUrl is unusable: "
          + e.getMessage()));
    }
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .handle((r, e) -> e != null ? DeliveryOutcome.retry("the KakaoTalk dealer did not answer: " + e.getMessage())
            : outcome(r, "0"));
  }

  /** {@code done}: the {@code code} the dealer answers success with on this API ({@code 0}; uploads {@code 0000}). */
  private DeliveryOutcome outcome(HttpResponse<String> r, String done) {
    int status = r.statusCode();
    if (status == 429) {
      String detail = "the KakaoTalk dealer answered HTTP 429 (too many requests)";
      return r.headers().firstValue("Retry-After").filter(v -> v.matches("[0-9]{1,6}"))
          .map(v -> DeliveryOutcome.retryAfter(detail, Duration.ofSeconds(Long.parseLong(v))))
          .orElse(DeliveryOutcome.retry(detail));
    }
    if (status >= 500) {
      return DeliveryOutcome.retry("the KakaoTalk dealer answered HTTP " + status);
    }
    if (status == 401 || status == 403) {
      return DeliveryOutcome.failed("the KakaoTalk dealer refused the channel's clientId and clientSecret (HTTP "
          + status + ")");
    }
    JsonNode answer;
    try {
      answer = json.readObject(r.body());
    } catch (RuntimeException e) {
      return status / 100 == 2 ? DeliveryOutcome.retry("the KakaoTalk dealer's answer is not JSON")
          : DeliveryOutcome.failed("the KakaoTalk dealer answered HTTP " + status);
    }
    JsonNode code = answer.path("code");
    if (status / 100 == 2 && (code.asText("").equals("0") || code.asText("").equals(done))) {
      return DeliveryOutcome.delivered();
    }
    String message = answer.path("message").asText("");
    return DeliveryOutcome.failed("the KakaoTalk dealer refused it (code " + (code.isMissingNode() ? status
        : code.asText()) + (message.isEmpty() ? "" : ": " + message) + "); KakaoTalk takes messages only while the "
        + "customer's 상담 session is open");
  }
}
