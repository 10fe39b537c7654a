package io.sangdam.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fuzzes what a client's frame goes through before a session acts on it: the JSON codec, then every way
 * {@link Fields} reads a field. A frame is an object or {@code bad_json}; a field is read, or refused with
 * {@code missing_field}, {@code invalid_field} or {@code too_long} (any other exception is a bug); what is read keeps
 * the promise of its reader (a slug matches, an id is positive, text is non-blank and within 4,000 characters...);
 * and the error reply echoing the frame's {@code rid} can always be written.
 *
 * <p>{@link #readFrame} is also what {@code WebSocketFramesFuzzTest} does with each text frame the decoder passes on.
 * Kept inputs replay in every test run; {@code scripts/fuzz FieldsFuzzTest} fuzzes.
 */
public class FieldsFuzzTest {
  private static final Json JSON = new Json();
  private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD,
      ErrorCode.TOO_LONG);
  /** The fields the sessions read, so a frame without them is still read for each. */
  private static final List<String> PROTOCOL_FIELDS = List.of("type", "rid", "tenant", "center", "queue", "token",
      "conversation", "afterSeq", "seq", "text", "cmid", "score", "comment", "offline", "contact", "tags", "category",
      "status", "agent", "capacity", "canned", "shortcut");

  private enum Kind { A, B }

  @FuzzTest
  void readsFrames(FuzzedDataProvider data) {
    readFrame(data.consumeRemainingAsString());
  }

  /** Reads one client frame as the sessions do, and checks every field reader on it. */
  public static void readFrame(String text) {
    JsonNode node;
    try {
      node = JSON.readObject(text);
    } catch (SangdamException e) {
      if (e.code() == ErrorCode.INVALID_FIELD) {
        // Well-formed JSON refused for a string that is not valid Unicode (an unpaired surrogate).
        assertTrue(JSON.parseObject(text).isObject());
      } else {
        assertEquals(ErrorCode.BAD_JSON, e.code());
      }
      assertReadAlike(text, null, e.code());
      return;
    }
    assertTrue(node.isObject());
    assertReadAlike(text, node, null);
    JsonNode reply = JSON.readObject(new String(
        JSON.write(new ServerMessage.Error(node.get("rid"), ErrorCode.BAD_REQUEST, "x")), StandardCharsets.UTF_8));
    assertEquals("error", reply.get("type").textValue());
    Fields fields = new Fields(node);
    List<String> names = new ArrayList<>(PROTOCOL_FIELDS);
    node.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      checkField(fields, node, name);
    }
  }

  /** WebSocket frames arrive as text, REST bodies as bytes: a well-formed text must read the same both ways. */
  private static void assertReadAlike(String text, JsonNode fromText, ErrorCode refusedAs) {
    // A body may begin with a byte order mark (RFC 8259 lets a reader ignore it); a frame's text has none.
    if (!isWellFormed(text) || text.startsWith("\uFEFF")) {
      return;
    }
    JsonNode fromBytes;
    try {
      fromBytes = JSON.readObject(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    } catch (SangdamException e) {
      assertEquals(refusedAs, e.code(), () -> "text and bytes refused differently: " + text);
      fromBytes = null;
    }
    assertEquals(fromText, fromBytes, () -> "text and bytes read differently: " + text);
  }

  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        return false;
      }
    }
    return true;
  }

  private static void checkField(Fields fields, JsonNode node, String name) {
    JsonNode value = node.get(name);
    boolean present = value != null && !value.isNull();
    assertEquals(present, fields.has(name));

    Optional<String> string = read(() -> fields.optString(name, 64)).flatMap(s -> s);
    string.ifPresent(s -> assertTrue(s.length() <= 64 && s.equals(value.textValue())));
    if (!present) {
      assertRefused(ErrorCode.MISSING_FIELD, () -> fields.string(name, 64));
    }
    read(() -> fields.text(name)).ifPresent(s ->
        assertTrue(!s.isBlank() && s.codePointCount(0, s.length()) <= Fields.MAX_TEXT && s.equals(value.textValue())));
    read(() -> fields.optSlug(name)).ifPresent(s -> s.ifPresent(slug ->
        assertTrue(Fields.SLUG.matcher(slug).matches(), slug)));
    read(() -> fields.oneOf(name, Kind.class)).ifPresent(k -> assertEquals(k.name(), value.textValue()));

    Optional<Long> id = read(() -> fields.id(name));
    id.ifPresent(n -> assertTrue(n > 0 && value.isIntegralNumber() && n == value.longValue(), () -> name + "=" + n));
    Optional<Long> count = read(() -> fields.nonNegative(name));
    count.ifPresent(n -> assertTrue(n >= 0 && value.isIntegralNumber() && n == value.longValue()));
    id.ifPresent(n -> assertEquals(Optional.of(n), count, "a valid id is a valid count"));
    read(() -> fields.optInt(name, 1, 5)).ifPresent(o -> o.ifPresent(n -> assertTrue(n >= 1 && n <= 5)));
    read(() -> fields.optBool(name)).ifPresent(o -> o.ifPresent(b -> assertEquals(value.booleanValue(), b)));

    read(() -> fields.strings(name, 10, 50)).ifPresent(list -> {
      assertTrue(list.size() <= 10);
      list.forEach(s -> assertTrue(!s.isBlank() && s.length() <= 50 && s.equals(s.strip()), s));
    });
    read(() -> fields.slugs(name)).ifPresent(list ->
        list.forEach(s -> assertTrue(Fields.SLUG.matcher(s).matches(), s)));
  }

  /** The value read, or empty when it was refused with one of the field codes; anything else fails the test. */
  private static <T> Optional<T> read(Supplier<T> reader) {
    try {
      return Optional.of(reader.get());
    } catch (SangdamException e) {
      assertTrue(REFUSALS.contains(e.code()), () -> "refused with " + e.code() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static void assertRefused(ErrorCode code, Supplier<?> reader) {
    try {
      reader.get();
    } catch (SangdamException e) {
      assertEquals(code, e.code());
      return;
    }
    throw new AssertionError("expected " + code);
  }
}
