package io.sangdam.channel.kakao;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.InboundMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The dealer's webhook events for a KAKAO channel, POSTed to {@code /channels/{tenant}/{channel}/kakao/{event}}:
 * {@code reference} (the customer asked for counselling: the session starts, with the user's meta data),
 * {@code message} (text, photo, file, video, audio) and {@code expired} (the session ended on the customer's
 * side: their end command, a deleted chat, a blocked channel, or 30 days without a message). Each is keyed by
 * {@code user_key} (the customer on this channel profile) and {@code sender_key} (the profile: it must be the
 * channel's). The dealer proves itself as dealers do with us, by credentials in headers: {@code HT-Client-Id}
 * (the channel's code) and {@code HT-Client-Secret} (the channel's secret, given to the dealer once).
 */
public final class KakaoInbound {
  public static final String CLIENT_ID = "HT-Client-Id";
  public static final String CLIENT_SECRET = "HT-Client-Secret";
  /** The longest {@code user_key} and {@code sender_key} taken (the dealers document 20 and 40). */
  static final int MAX_KEY = 64;
  /** The longest message id the dealer's {@code serial_number} or {@code session_id} may be. */
  static final int MAX_ID = 60;
  private static final int MAX_CONTENT = 1_000;
  private static final int MAX_URL = 1_000;

  /** The dealer's events, by the last segment of their path. */
  public enum Event { REFERENCE, MESSAGE, EXPIRED }

  private final ChannelInbound inbound;
  private final Json json;

  public KakaoInbound(ChannelInbound inbound, Json json) {
    this.inbound = requireNonNull(inbound, "inbound");
    this.json = requireNonNull(json, "json");
  }

  /**
   * Blocks (call it on the blocking executor). Completes with the conversation (and the message's seq),
   * or with none for an {@code expired} of a customer whose conversation is closed already.
   */
  public CompletableFuture<Optional<InboundAnswer>> receive(String tenant, String channel, Event event,
      String clientId, String clientSecret, byte[] body) {
    CompletableFuture<InboundAnswer> answer = inbound.receive(tenant, channel, ChannelKind.KAKAO,
        c -> same(c.code(), clientId) && same(c.secret(), clientSecret),
        "the " + CLIENT_ID + " and " + CLIENT_SECRET + " headers must be the channel's code and secret",
        c -> read(c, event, body));
    if (event != Event.EXPIRED) {
      return answer.thenApply(Optional::of);
    }
    // The dealer tells of every session's end, also of one whose conversation an agent already closed.
    return answer.handle((a, e) -> {
      if (e == null) {
        return Optional.of(a);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof SangdamException s && s.code() == ErrorCode.NOT_FOUND) {
        return Optional.empty();
      }
      throw e instanceof CompletionException c ? c : new CompletionException(e);
    });
  }

  private static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }

  /** The event's body, checked: 400 when it is not a JSON object, 422 naming a missing or invalid field. */
  private InboundMessage read(Channel channel, Event event, byte[] body) {
    Fields f = new Fields(json.readObject(new ByteArrayInputStream(body)));
    String user = key(f, "user_key");
    if (!key(f, "sender_key").equals(channel.setting("senderKey").orElse(""))) {
      throw Fields.invalid("sender_key", "is not the sender_key of channel '" + channel.code() + "'");
    }
    return switch (event) {
      case REFERENCE -> InboundMessage.start(user, Optional.empty(), "s:" + session(f));
      case EXPIRED -> InboundMessage.leave(user, "e:" + session(f));
      case MESSAGE -> InboundMessage.message(user, Optional.empty(), "m:" + id(f, "serial_number"), text(f));
    };
  }

  private static String key(Fields f, String name) {
    return key(f, name, MAX_KEY);
  }

  private static String key(Fields f, String name, int max) {
    String value = f.string(name, max);
    if (value.isBlank()) {
      throw Fields.invalid(name, "must not be blank");
    }
    return value;
  }

  /** A dealer's id: a string or a whole number. */
  private static String id(Fields f, String name) {
    JsonNode v = f.node().get(name);
    return v != null && v.isIntegralNumber() ? v.asText() : key(f, name, MAX_ID);
  }

  /** The session's id, or (where the dealer leaves it out) the event's {@code time}: what makes a repeat a repeat. */
  private static String session(Fields f) {
    if (f.has("session_id")) {
      return id(f, "session_id");
    }
    if (f.has("time")) {
      return id(f, "time");
    }
    throw Fields.missing("session_id");
  }

  /**
   * What the agent reads: the text, or for a photo, file, video or audio a line naming it with the URL of
   * the copy Kakao keeps (the bytes are not downloaded: the URL is the attachment).
   */
  private static String text(Fields f) {
    String type = f.optString("type", 16).orElse("text").toLowerCase(Locale.ROOT);
    Optional<String> content = f.optString("content", MAX_CONTENT).map(String::strip).filter(c -> !c.isEmpty());
    if (type.equals("text")) {
      return content.orElseThrow(() -> Fields.missing("content"));
    }
    String label = switch (type) {
      case "photo" -> "사진";
      case "file" -> "파일";
      case "video" -> "동영상";
      case "audio" -> "음성";
      default -> throw Fields.invalid("type", "must be text, photo, file, video or audio");
    };
    String url = f.string("attachment", MAX_URL);
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw Fields.invalid("attachment", "must be the URL of the " + type);
    }
    String name = f.optString("file_name", 255).map(n -> " " + n).orElse("");
    return "[" + label + name + "] " + url + content.map(c -> "\n" + c).orElse("");
  }
}
