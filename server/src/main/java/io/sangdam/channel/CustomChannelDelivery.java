package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.Json;
import io.sangdam.webhook.WebhookUrls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The custom channel's outbound (PROTOCOL.md, "Channels (the custom kind)"): each item a JSON POST to the
 * channel's {@code outboundUrl}, signed with {@code X-Sangdam-Signature} as the channel signs what it sends
 * us. 2xx is delivered; 5xx, 408, 429, a timeout or a refused connection is tried again (after the
 * receiver's {@code Retry-After} seconds, when it gives them); any other answer is failed. The URL's host
 * is resolved and checked before every attempt, as for webhooks: one that now points at this machine or a
 * metadata service fails the item.
 */
public final class CustomChannelDelivery implements ChannelDelivery, AutoCloseable {
  /** The whole of one attempt, the answer's body included; connecting has 5 s of it, the answer's head 10 s. */
  static final Duration ATTEMPT = Duration.ofSeconds(15);

  private final WebhookUrls urls;
  private final Json json;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** Resolves, checks and signs: name look-ups block, so neither on the outbox's thread nor the HTTP client's. */
  private final ExecutorService preparing = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> new Thread(r, "channel-sending"));

  public CustomChannelDelivery(WebhookUrls urls, Json json, Clock clock) {
    this.urls = requireNonNull(urls, "urls");
    this.json = requireNonNull(json, "json");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item) {
    CompletableFuture<HttpRequest> request;
    try {
      request = CompletableFuture.supplyAsync(() -> request(channel, item), preparing);
    } catch (RejectedExecutionException stopped) {
      return CompletableFuture.completedFuture(DeliveryOutcome.retry("the server is stopping"));
    }
    return request.thenCompose(r -> {
      CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(r, HttpResponse.BodyHandlers.discarding());
      return exchange.copy().orTimeout(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((response, e) -> {
        if (e != null) {
          exchange.cancel(true); // cut off: a receiver trickling its answer holds nothing more of ours
        }
      });
    }).handle(CustomChannelDelivery::outcome);
  }

  /** An item that cannot be sent to this channel as it is configured now. */
  private static final class Refused extends RuntimeException {
    Refused(String why) {
      super(why, null, false, false);
    }
  }

  private HttpRequest request(Channel channel, OutboundItem item) {
    URI uri = URI.create(channel.setting("outboundUrl").orElseThrow(() -> new Refused("the channel has no outboundUrl")));
    urls.forbiddenNow(uri).ifPresent(why -> {
      throw new Refused("refused: " + why);
    });
    byte[] body = body(item);
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "Sangdam-Channels")
        .header(InboundSignature.HEADER, InboundSignature.header(channel.secret(), clock.instant().getEpochSecond(),
            body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /**
   * PROTOCOL.md's body: {@code {"type","user","conversation","seq","from","name","text","at","buttons"?}},
   * {@code buttons} under a bot's message only, {@code reason}
   * on closed, and {@code "rate":true} when the customer may rate the conversation.
   */
  byte[] body(OutboundItem item) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", item.type() == OutboundItem.Type.CLOSED ? "closed" : "message");
    body.put("user", item.user());
    body.put("conversation", item.conversationId());
    body.put("seq", item.seq());
    body.put("from", item.from());
    body.put("name", item.name());
    body.put("text", item.text());
    body.put("at", item.at().toString());
    if (!item.buttons().isEmpty()) {
      body.put("buttons", item.buttons().stream().map(b -> Map.of("id", b.id(), "label", b.label())).toList());
    }
    item.reason().ifPresent(reason -> body.put("reason", reason));
    if (item.survey().isPresent()) {
      body.put("rate", true); // as the widget's closed push: the customer may rate it (the rating event)
    }
    try {
      return json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an outbound item", e);
    }
  }

  private static DeliveryOutcome outcome(HttpResponse<Void> response, Throwable e) {
    if (e != null) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return cause instanceof Refused refused ? DeliveryOutcome.failed(refused.getMessage())
          : DeliveryOutcome.retry(cause.toString());
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return DeliveryOutcome.delivered();
    }
    String detail = "status " + status;
    if (status / 100 == 5 || status == 408 || status == 429) {
      Optional<Duration> after = response.headers().firstValue("Retry-After").filter(v -> v.matches("[0-9]{1,6}"))
          .map(v -> Duration.ofSeconds(Long.parseLong(v)));
      return after.map(a -> DeliveryOutcome.retryAfter(detail, a)).orElseGet(() -> DeliveryOutcome.retry(detail));
    }
    return DeliveryOutcome.failed(detail);
  }

  @Override
  public void close() {
    preparing.shutdownNow();
  }
}
