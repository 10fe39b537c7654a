package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.webhook.WebhookSignature;
import io.sangdam.webhook.WebhookUrls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POSTs to the tenants' external bots: one signed JSON POST per customer message, as our webhooks are signed
 * ({@code X-Sangdam-Signature}), its answer read within the endpoint's timeout. Never retried: the customer is
 * waiting, and the scenario's failure exit is the fallback. Every outcome is counted in
 * {@code sangdam.bot.external} by {@code result}, and every failure logged.
 */
public final class ExternalBots {
  private static final Logger log = LoggerFactory.getLogger(ExternalBots.class);

  /** What became of a call, for the {@code result} tag. */
  public enum Result { ANSWERED, ACCEPTED, TIMEOUT, UNREACHABLE, REFUSED, INVALID, NO_ENDPOINT, NO_REPLY }

  private final HttpClient http;
  private final WebhookUrls urls;
  private final Executor blocking;
  private final Clock clock;
  private final Map<Result, Counter> counted = new EnumMap<>(Result.class);

  /** {@code blocking}: where answers are read and carried on, never an event loop. */
  public ExternalBots(WebhookUrls urls, MeterRegistry registry, Executor blocking, Clock clock) {
    this.urls = requireNonNull(urls, "urls");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
    // Its own threads for the exchange (the blocking pool refuses work while the database is down); the answer
    // is carried on on the blocking pool.
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    for (Result r : Result.values()) {
      counted.put(r, Counter.builder("sangdam.bot.external").tag("result", r.name().toLowerCase(Locale.ROOT))
          .description("customer messages POSTed to external bots, and their outcome").register(registry));
    }
  }

  /**
   * POSTs {@code body} (JSON, its idempotency id {@code requestId}) to the endpoint. Completes on the blocking pool
   * with the bot's answer (a failure as {@link ExternalAnswer.Failed}), or empty when the bot answered 202 and will
   * reply over REST. Never completes exceptionally.
   */
  public CompletableFuture<Optional<ExternalAnswer>> ask(BotEndpoint endpoint, String requestId, byte[] body) {
    HttpRequest request;
    try {
      URI uri = URI.create(endpoint.url());
      Optional<String> forbidden = urls.forbiddenNow(uri);
      if (forbidden.isPresent()) {
        return CompletableFuture.completedFuture(Optional.of(failed(Result.REFUSED, endpoint, requestId,
            "not called: " + forbidden.get())));
      }
      long timestamp = clock.instant().getEpochSecond();
      request = HttpRequest.newBuilder(uri)
          .timeout(endpoint.timeout())
          .header("Content-Type", "application/json; charset=utf-8")
          .header("User-Agent", "Sangdam-Bot")
          .header("X-Sangdam-Event", "bot.message")
          .header("X-Sangdam-Delivery", requestId)
          .header(WebhookSignature.HEADER, WebhookSignature.header(endpoint.secret(), timestamp, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Optional.of(failed(Result.UNREACHABLE, endpoint, requestId,
          "cannot be sent: " + e)));
    }
    return http.sendAsync(request, info -> new Bounded(ExternalBotAnswers.MAX_BODY))
        // The request's timeout ends at the answer's head; this one also bounds a body that trickles in.
        .orTimeout(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .handleAsync((response, failed) -> outcome(endpoint, requestId, response, failed), blocking);
  }

  private Optional<ExternalAnswer> outcome(BotEndpoint endpoint, String requestId,
      HttpResponse<Optional<byte[]>> response, Throwable failed) {
    if (failed != null) {
      Throwable cause = failed instanceof java.util.concurrent.CompletionException && failed.getCause() != null
          ? failed.getCause() : failed;
      boolean late = cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException;
      return Optional.of(failed(late ? Result.TIMEOUT : Result.UNREACHABLE, endpoint, requestId,
          late ? "no answer within " + endpoint.timeout().toMillis() + " ms" : cause.toString()));
    }
    int status = response.statusCode();
    if (status == 202) {
      counted.get(Result.ACCEPTED).increment();
      return Optional.empty();
    }
    if (status < 200 || status > 299) {
      return Optional.of(failed(Result.REFUSED, endpoint, requestId, "answered HTTP " + status));
    }
    if (response.body().isEmpty()) {
      return Optional.of(failed(Result.INVALID, endpoint, requestId, "the answer is over "
          + ExternalBotAnswers.MAX_BODY + " bytes"));
    }
    ExternalAnswer answer = ExternalBotAnswers.read(response.body().get());
    if (answer instanceof ExternalAnswer.Failed f) {
      return Optional.of(failed(Result.INVALID, endpoint, requestId, f.why()));
    }
    counted.get(Result.ANSWERED).increment();
    return Optional.of(answer);
  }

  /** Counts and logs a failure that is not a call's (no endpoint to call, no REST reply in time). */
  public ExternalAnswer.Failed failed(Result result, BotEndpoint endpoint, String requestId, String why) {
    counted.get(result).increment();
    log.warn("external bot {} of tenant {} ({}), request {}: {}; the scenario's failure exit is taken",
        endpoint == null ? "-" : endpoint.code(), endpoint == null ? "-" : endpoint.tenantId(),
        endpoint == null ? "-" : endpoint.url(), requestId, why);
    return new ExternalAnswer.Failed(why);
  }

  /** Collects a body up to {@code max} bytes; past it, stops reading and completes empty. */
  private static final class Bounded implements HttpResponse.BodySubscriber<Optional<byte[]>> {
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Optional<byte[]>> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Bounded(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<Optional<byte[]>> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (bytes.size() + b.remaining() > max) {
          subscription.cancel();
          body.complete(Optional.empty());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable failed) {
      body.completeExceptionally(failed);
    }

    @Override
    public void onComplete() {
      body.complete(Optional.of(bytes.toByteArray()));
    }
  }
}
