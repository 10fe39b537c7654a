package io.sangdam.channel;

import java.time.Duration;
import java.util.Optional;

/**
 * What became of one delivery attempt: {@code DELIVERED}; {@code RETRY} (the partner or the network
 * failed for now: 5xx, a timeout, a refused connection; {@code retryAfter} when the partner said when);
 * or {@code FAILED} (it can never succeed: the customer's session on the channel ended, the partner
 * refused the content), with a reason the agent can read.
 */
public record DeliveryOutcome(Result result, String detail, Optional<Duration> retryAfter) {
  public enum Result { DELIVERED, RETRY, FAILED }

  public static DeliveryOutcome delivered() {
    return new DeliveryOutcome(Result.DELIVERED, "", Optional.empty());
  }

  public static DeliveryOutcome retry(String detail) {
    return new DeliveryOutcome(Result.RETRY, detail, Optional.empty());
  }

  public static DeliveryOutcome retryAfter(String detail, Duration after) {
    return new DeliveryOutcome(Result.RETRY, detail, Optional.of(after));
  }

  public static DeliveryOutcome failed(String detail) {
    return new DeliveryOutcome(Result.FAILED, detail, Optional.empty());
  }
}
