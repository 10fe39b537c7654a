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
import java.time.OffsetDateTime;

/** The one JSON codec of the server. Thread-safe. */
public final class Json {
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

  public JsonNode readObject(InputStream in) {
    try {
      return requireValidText(requireObject(mapper.readTree(in)));
    } catch (IOException e) {
      throw new SangdamException(ErrorCode.BAD_JSON, "malformed JSON body");
    }
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
