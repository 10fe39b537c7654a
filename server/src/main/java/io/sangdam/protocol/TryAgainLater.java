package io.sangdam.protocol;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A refusal that passes: the client may try again after {@link #retryAfter()} (HTTP says so in
 * {@code Retry-After}). A full queue of work, or sign-in throttling.
 */
public class TryAgainLater extends SangdamException {
  private final Duration retryAfter;

  public TryAgainLater(ErrorCode code, String message, Duration retryAfter) {
    super(code, message);
    this.retryAfter = requireNonNull(retryAfter, "retryAfter");
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** A queue of work is full: 503 {@code unavailable}, to be tried again in a second. */
  public static TryAgainLater busy() {
    return new TryAgainLater(ErrorCode.UNAVAILABLE, "the server is busy; try again", Duration.ofSeconds(1));
  }
}
