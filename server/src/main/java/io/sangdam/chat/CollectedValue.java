package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

/**
 * What a bot's form collected, kept with the conversation: the field's key, its label for staff, the value as
 * given, and the value as staff see it ({@code shown}: masked when the field is personal).
 */
public record CollectedValue(String name, String label, String value, String shown) {
  public CollectedValue {
    requireNonNull(name, "name");
    requireNonNull(label, "label");
    requireNonNull(value, "value");
    requireNonNull(shown, "shown");
  }
}
