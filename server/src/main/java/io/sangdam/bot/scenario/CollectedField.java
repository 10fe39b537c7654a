package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

/** A form answer as kept: the field's key, its label for staff, its type, the value read, whether it is personal. */
public record CollectedField(String name, String label, FieldType type, String value, boolean personal) {
  public CollectedField {
    requireNonNull(name, "name");
    requireNonNull(label, "label");
    requireNonNull(type, "type");
    requireNonNull(value, "value");
  }

  /** The value as staff see it: masked when personal, like contacts and personal items in message text. */
  public String shown() {
    return personal ? type.mask(value) : value;
  }
}
