package io.sangdam.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

/** The one JSON codec of the server. Thread-safe. */
public final class Json {
  private static final char BYTE_ORDER_MARK = '\uFEFF';
  private final ObjectMapper mapper;

  public Json() {
    SimpleModule times = new SimpleModule("sangdam-times");
    times.addSerializer(OffsetDateTime.class, ToStringSerializer.instance);
    JsonMapper jsonMapper = JsonMapper.builder()
        .addModule(times)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    jsonMapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).build());
    this.mapper = jsonMapper;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Parses one JSON object; anything else is {@code bad_json}, and a string in it that is not valid
   * Unicode is {@code invalid_field} (see {@link #requireValidText}).
   */
  public JsonNode readObject(String text) {
    return requireValidText(parseObject(text));
  }

  /**
   * Parses one JSON object without looking into its strings: for a caller that reads the
   * {@code rid} first, to answer {@link #requireValidText}'s error with it.
   */
  public JsonNode parseObject(String text) {
    try {
      return requireObject(mapper.readTree(text));
    } catch (JsonProcessingException e) {
      throw new SangdamException(ErrorCode.BAD_JSON, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * Refuses a string (value or name, at any depth) holding an unpaired surrogate ({@code "\ud800"}
   * escaped alone): {@code invalid_field} naming it. Such text cannot be stored as UTF-8 (the
   * database would keep {@code ?}) while a push would carry it as written, so what others are
   * shown would differ from what is kept; refusing it keeps both equal and loses nothing silently.
   */
  public static JsonNode requireValidText(JsonNode node) {
    checkText(node, "");
    return node;
  }

  private static void checkText(JsonNode node, String path) {
    if (node.isTextual()) {
      if (Text.hasUnpairedSurrogate(node.textValue())) {
        throw Fields.invalid(path, "must be valid Unicode text (it has an unpaired surrogate)");
      }
    } else if (node.isObject()) {
      var fields = node.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (Text.hasUnpairedSurrogate(field.getKey())) {
          throw new SangdamException(ErrorCode.INVALID_FIELD,
              "a field name must be valid Unicode text (it has an unpaired surrogate)");
        }
        checkText(field.getValue(), name);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkText(node.get(i), path + "[" + i + "]");
      }
    }
  }

  /**
   * Parses a request body: one JSON object in UTF-8 (RFC 8259), a byte order mark allowed; anything else is
   * {@code bad_json}. The bytes are decoded here, strictly, and not by the parser, which would guess UTF-16 or UTF-32
   * from zero bytes and let overlong forms and code points past U+10FFFF through: a body reads exactly as the same
   * text sent over the WebSocket, whose frames Netty checks for UTF-8 the same way. A string that is not valid
   * Unicode is {@code invalid_field} (see {@link #requireValidText}).
   */
  public JsonNode readObject(InputStream in) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try (PushbackReader text = new PushbackReader(new InputStreamReader(in, utf8))) {
      int first = text.read();
      if (first != -1 && first != BYTE_ORDER_MARK) {
        text.unread(first);
      }
      return requireValidText(requireObject(mapper.readTree(text)));
    } catch (IOException e) {
      throw new SangdamException(ErrorCode.BAD_JSON, "malformed JSON body");
    }
  }

  private static JsonNode requireObject(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new SangdamException(ErrorCode.BAD_JSON, "expected a JSON object");
    }
    return node;
  }

  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }
}
