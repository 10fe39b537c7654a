package io.sangdam.protocol;

import java.time.Instant;

/** {@code center_closed}, with when the center opens next (null: no opening hours ahead). */
public final class CenterClosedException extends SangdamException {
  private final Instant opensAt;

  public CenterClosedException(Instant opensAt) {
    super(ErrorCode.CENTER_CLOSED, opensAt == null ? "the center is closed"
        : "the center is closed; it opens at " + opensAt);
    this.opensAt = opensAt;
  }

  public Instant opensAt() {
    return opensAt;
  }
}
