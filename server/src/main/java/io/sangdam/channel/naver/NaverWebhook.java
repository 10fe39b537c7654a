package io.sangdam.channel.naver;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Secrets;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelStore;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.InboundMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The webhook Naver TalkTalk posts its events to ("이벤트 받을 URL"): {@code
 * /channels/{tenant}/{channel}/naver/{secret}}. Naver signs nothing (its README, "Webhook 요구 사항", offers
 * only TLS and its address range), so the channel's secret, shown once when the channel is created, is
 * the URL's last segment. Then as the custom channel's webhook: 404, 401 (counted, nothing stored), 403,
 * 400, 422. A {@code send} is the customer's message (starting a conversation in the channel's queue
 * when none is open; a tap on a bot's button carries that button, {@link NaverEvent}), a {@code leave} ends the open one as the customer leaving it, an {@code open} keeps
 * {@code options.under14} on the customer, a {@code handover} keeps its control; {@code echo} (our own
 * and Naver's partner centre's sends, echoed), {@code action} and {@code friend} are answered and ignored.
 *
 * <p>Naver's events carry no id, and its documents promise no redelivery. The {@code mid} a message is
 * deduplicated by is derived: a hash of the user, the event and its body, with the 10-second window it
 * arrived in; the same event again in that window or the next is a repeat. So the same text sent twice
 * within 10 to 20 seconds is stored once.
 */
public final class NaverWebhook {
  static final Duration REPEAT_WINDOW = Duration.ofSeconds(10);
  private static final String DEFAULT_NAME = "고객";

  private final ChannelInbound inbound;
  private final ChannelStore store;
  private final Secrets secrets;
  private final Json json;
  private final Clock clock;

  public NaverWebhook(ChannelInbound inbound, ChannelStore store, Secrets secrets, Json json, Clock clock) {
    this.inbound = requireNonNull(inbound, "inbound");
    this.store = requireNonNull(store, "store");
    this.secrets = requireNonNull(secrets, "secrets");
    this.json = requireNonNull(json, "json");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * One event (blocks: call it on the blocking executor). The answer: where a {@code send} was stored or
   * which conversation a {@code leave} ended; empty for an event that stores no message.
   */
  public CompletableFuture<Optional<InboundAnswer>> receive(String tenantCode, String channelCode, String key,
      byte[] body) {
    Channel channel = inbound.admitted(tenantCode, channelCode, ChannelKind.NAVER_TALKTALK,
        c -> MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), c.secret().getBytes(StandardCharsets.UTF_8)),
        "the URL's last segment is not the secret of a Naver TalkTalk channel");
    String canonical;
    NaverEvent event;
    try {
      var node = json.readObject(new ByteArrayInputStream(body));
      canonical = node.toString();
      event = NaverEvent.of(node);
    } catch (SangdamException e) {
      throw inbound.invalid(e);
    }
    return switch (event.type()) {
      case SEND -> inbound.accept(channel, new InboundMessage(event.user(), Optional.empty(), mid(canonical, 0),
          InboundMessage.Event.MESSAGE, event.text().orElseThrow(), event.button(), Optional.of(mid(canonical, -1))))
          .thenApply(Optional::of);
      case LEAVE -> leave(channel, event, canonical);
      case OPEN -> {
        store.markUnder14(customer(channel, event.user()), event.under14().orElseThrow());
        yield CompletableFuture.completedFuture(Optional.empty());
      }
      case HANDOVER -> {
        store.recordThreadControl(customer(channel, event.user()), event.control().orElseThrow(), clock.instant());
        yield CompletableFuture.completedFuture(Optional.empty());
      }
      case ECHO, ACTION, FRIEND -> CompletableFuture.completedFuture(Optional.empty());
    };
  }

  /** Ends the customer's open conversation; with none open (they opened the chat and left unheard) nothing. */
  private CompletableFuture<Optional<InboundAnswer>> leave(Channel channel, NaverEvent event, String canonical) {
    return inbound.accept(channel, InboundMessage.leave(event.user(), mid(canonical, 0),
        Optional.of(mid(canonical, -1)))).thenApply(Optional::of).exceptionallyCompose(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          return cause instanceof SangdamException s && s.code() == ErrorCode.NOT_FOUND
              ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(cause);
        });
  }

  private long customer(Channel channel, String user) {
    return store.customer(channel.id(), user).orElseGet(() -> store.ensureCustomer(channel.tenantId(), channel.id(),
        user, DEFAULT_NAME, Secrets.hash(secrets.newToken()), clock.instant()));
  }

  /** The event's mid in the window {@code shift} windows from now's: {@code nv-<128 bits of hash>-<window>}. */
  private String mid(String canonical, int shift) {
    long window = clock.millis() / REPEAT_WINDOW.toMillis() + shift;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return "nv-" + HexFormat.of().formatHex(hash, 0, 16) + "-" + window;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
