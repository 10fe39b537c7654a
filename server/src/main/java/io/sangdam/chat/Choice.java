package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

/** A button under a bot's message: the customer's reply names {@code id}, and shows {@code label}. */
public record Choice(String id, String label) {
  public Choice {
    requireNonNull(id, "id");
    requireNonNull(label, "label");
  }
}
