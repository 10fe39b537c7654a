package io.sangdam.bot.scenario;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The slots a callback node offers: those of {@code center} (empty: the conversation's), earliest first, each with
 * its label in the center's time as the customer reads it ({@code 12월 8일 (화) 09:00}). None when the center offers
 * none, or is unknown.
 */
@FunctionalInterface
public interface CallbackTimes {
  /** None at all: for scenarios without a callback node, and tests of the other nodes. */
  CallbackTimes NONE = center -> List.of();

  List<Slot> slots(Optional<String> center);

  /** A slot's start and its button label. */
  record Slot(Instant at, String label) {}
}
