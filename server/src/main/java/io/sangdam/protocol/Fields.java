package io.sangdam.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads typed fields from an inbound JSON object, failing with the exact error PROTOCOL.md names. */
public final class Fields {
  /** Codes of tenants, centers, queues and usernames. */
  public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  /** The longest chat text a client may send, in characters. */
  public static final int MAX_TEXT = 4000;
  /** The longest string {@code rid}, in characters. */
  public static final int MAX_RID = 128;

  private final JsonNode node;

  public Fields(JsonNode node) {
    this.node = node;
  }

  public JsonNode node() {
    return node;
  }

  public boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  public String string(String name, int maxLength) {
    return optString(name, maxLength).orElseThrow(() -> missing(name));
  }

  public Optional<String> optString(String name, int maxLength) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalid(name, "must be a string");
    }
    String s = v.textValue();
    if (s.length() > maxLength) {
      throw invalid(name, "must be at most " + maxLength + " characters");
    }
    return Optional.of(s);
  }

  /** Chat text: non-blank, at most {@link #MAX_TEXT} characters, else {@code too_long}. */
  public String text(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw missing(name);
    }
    if (!v.isTextual()) {
      throw invalid(name, "must be a string");
    }
    String s = v.textValue();
    if (s.codePointCount(0, s.length()) > MAX_TEXT) {
      throw new SangdamException(ErrorCode.TOO_LONG, name + " must be at most " + MAX_TEXT + " characters");
    }
    if (s.isBlank()) {
      throw invalid(name, "must not be blank");
    }
    return s;
  }

  public String slug(String name) {
    return optSlug(name).orElseThrow(() -> missing(name));
  }

  public Optional<String> optSlug(String name) {
    Optional<String> s = optString(name, 64);
    if (s.isPresent() && !SLUG.matcher(s.get()).matches()) {
      throw invalid(name, "must match [a-z0-9][a-z0-9-]{0,31}");
    }
    return s;
  }

  /** One of an enum's constants, spelled exactly (upper case); else {@code invalid_field} listing them. */
  public <E extends Enum<E>> E oneOf(String name, Class<E> type) {
    String value = string(name, 32);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    throw invalid(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
  }

  public long id(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw missing(name);
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() <= 0) {
      throw invalid(name, "must be a positive whole number");
    }
    return v.longValue();
  }

  public long nonNegative(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw missing(name);
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw invalid(name, "must be a whole number, 0 or more");
    }
    return v.longValue();
  }

  public Optional<Integer> optInt(String name, int min, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw invalid(name, "must be a whole number from " + min + " to " + max);
    }
    return Optional.of(v.intValue());
  }

  public Optional<Boolean> optBool(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw invalid(name, "must be true or false");
    }
    return Optional.of(v.booleanValue());
  }

  /** Free-form strings: at most {@code maxItems}, each 1 to {@code maxLength} characters, blanks refused. */
  public List<String> strings(String name, int maxItems, int maxLength) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray() || v.size() > maxItems) {
      throw invalid(name, "must be an array of at most " + maxItems + " strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
        throw invalid(name, "must hold strings of 1 to " + maxLength + " characters");
      }
      out.add(item.textValue().strip());
    }
    return out;
  }

  public List<String> slugs(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw invalid(name, "must be an array of codes");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || !SLUG.matcher(item.textValue()).matches()) {
        throw invalid(name, "must be an array of codes matching [a-z0-9][a-z0-9-]{0,31}");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /**
   * The {@code rid} of a request, to be echoed unchanged: absent (null), JSON {@code null}, a string
   * of at most {@link #MAX_RID} characters, a whole number within 64 bits, or a finite decimal
   * number. Anything else is {@code invalid_field}: a number past the double range ({@code 1e999})
   * would come back as the string {@code "Infinity"}, and an object or array has no bound.
   */
  public static JsonNode rid(JsonNode frame) {
    JsonNode v = frame.get("rid");
    if (v == null || v.isNull()) {
      return v;
    }
    boolean fits = v.isTextual()
        ? v.textValue().length() <= MAX_RID && !Text.hasUnpairedSurrogate(v.textValue())
        : v.isIntegralNumber() ? v.canConvertToLong()
        : v.isNumber() && Double.isFinite(v.doubleValue());
    if (!fits) {
      throw invalid("rid", "must be a string of at most " + MAX_RID
          + " characters, a whole number within 64 bits or a finite number");
    }
    return v;
  }

  public static SangdamException missing(String name) {
    return new SangdamException(ErrorCode.MISSING_FIELD, "field '" + name + "' is required", name);
  }

  public static SangdamException invalid(String name, String why) {
    return new SangdamException(ErrorCode.INVALID_FIELD, "field '" + name + "' " + why, name);
  }
}
