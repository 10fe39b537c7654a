package io.sangdam.chat;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Chat's timestamps: millisecond precision, as stored, so a live message and its replay carry the same time. */
final class StoredTime {
  private StoredTime() {}

  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
