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

  /** Parses one JSON object; anything else is {@code bad_json}. */
  public JsonNode readObject(String text) {
    try {
      return requireObject(mapper.readTree(text));
    } catch (JsonProcessingException e) {
      throw new SangdamException(ErrorCode.BAD_JSON, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  public JsonNode readObject(InputStream in) {
    try {
      return requireObject(mapper.readTree(in));
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
