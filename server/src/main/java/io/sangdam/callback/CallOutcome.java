package io.sangdam.callback;

import java.util.Locale;
import java.util.Optional;

/** What came of a call. Only {@link #NO_ANSWER} keeps the request open, to be called again later. */
public enum CallOutcome {
  REACHED, NO_ANSWER, WRONG_NUMBER, CANCELLED;

  public boolean isFinal() {
    return this != NO_ANSWER;
  }

  /** As on the wire: {@code reached}, {@code no_answer}, {@code wrong_number}, {@code cancelled}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CallOutcome> ofWire(String wire) {
    for (CallOutcome o : values()) {
      if (o.wire().equals(wire)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
