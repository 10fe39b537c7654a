package io.sangdam.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.cluster.EventCodec.Unreadable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The fields of one JSON object of a bus message, read strictly: a required field that is absent,
 * null or of another type, or an optional one of another type, is {@link Unreadable} (malformed).
 * An optional field that is absent or null is null. Fields nobody asks for are ignored: that is
 * how a reader skips what a newer minor version added.
 */
final class WireFields {
  private final JsonNode object;

  WireFields(JsonNode object) {
    this.object = object;
  }

  String text(String name) {
    return required(name, optionalText(name));
  }

  String optionalText(String name) {
    JsonNode value = value(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw wrong(name, "a string");
    }
    return value.textValue();
  }

  long integer64(String name) {
    return required(name, optionalInteger64(name));
  }

  Long optionalInteger64(String name) {
    JsonNode value = value(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw wrong(name, "a 64-bit integer");
    }
    return value.longValue();
  }

  int integer(String name) {
    return required(name, optionalInteger(name));
  }

  Integer optionalInteger(String name) {
    JsonNode value = value(name);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw wrong(name, "a 32-bit integer");
    }
    return value.intValue();
  }

  boolean bool(String name) {
    JsonNode value = value(name);
    if (value == null || !value.isBoolean()) {
      throw wrong(name, "true or false");
    }
    return value.booleanValue();
  }

  Instant instant(String name) {
    return required(name, optionalInstant(name));
  }

  Instant optionalInstant(String name) {
    String text = optionalText(name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw wrong(name, "an ISO-8601 instant");
    }
  }

  <E extends Enum<E>> E constant(String name, Class<E> type) {
    String text = text(name);
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw wrong(name, "one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  WireFields object(String name) {
    return required(name, optionalObject(name));
  }

  WireFields optionalObject(String name) {
    JsonNode value = value(name);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      throw wrong(name, "an object");
    }
    return new WireFields(value);
  }

  /** The objects of an array field; empty when it is absent (a node from before it said nothing of it). */
  java.util.List<WireFields> optionalObjects(String name) {
    JsonNode value = value(name);
    if (value == null) {
      return java.util.List.of();
    }
    if (!value.isArray()) {
      throw wrong(name, "an array");
    }
    java.util.List<WireFields> out = new java.util.ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isObject()) {
        throw wrong(name, "an array of objects");
      }
      out.add(new WireFields(element));
    }
    return out;
  }

  /** Every field of this object, each a string (a notice's params). */
  java.util.Map<String, String> texts() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    object.fieldNames().forEachRemaining(name -> out.put(name, text(name)));
    return out;
  }

  /** The field's value; null when absent or JSON null. */
  private JsonNode value(String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static <T> T required(String name, T value) {
    if (value == null) {
      throw new Unreadable(Unreadable.Reason.MALFORMED, "\"" + name + "\" is missing");
    }
    return value;
  }

  private static Unreadable wrong(String name, String expected) {
    return new Unreadable(Unreadable.Reason.MALFORMED, "\"" + name + "\" is not " + expected);
  }
}
