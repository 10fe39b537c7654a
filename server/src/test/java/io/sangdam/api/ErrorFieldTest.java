package io.sangdam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A field in error is named beside the code, on HTTP and on the sockets, so apps can say which in a sentence. */
class ErrorFieldTest {
  private final Json json = new Json();

  @Test
  void aFieldInErrorIsNamedOnHttpAndOnTheSocket() throws Exception {
    SangdamException invalid = Fields.invalid("tenant", "must match [a-z0-9][a-z0-9-]{0,31}");

    assertEquals(Map.of("error", Map.of("code", "invalid_field", "message", invalid.getMessage(), "field", "tenant")),
        ApiResponse.error(invalid).body());
    JsonNode frame = json.mapper().readTree(json.write(ServerMessage.Error.of(null, invalid)));
    assertEquals("tenant", frame.path("field").asText());
    assertEquals("invalid_field", frame.path("code").asText());
    assertEquals("text", json.mapper().readTree(json.write(ServerMessage.Error.of(null, Fields.missing("text"))))
        .path("field").asText());
  }

  @Test
  void aFailureOfNoOneFieldHasNoField() throws Exception {
    SangdamException closed = new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation 4 is closed");

    assertEquals(Map.of("error", Map.of("code", "conversation_closed", "message", "conversation 4 is closed")),
        ApiResponse.error(closed).body());
    assertFalse(json.mapper().readTree(json.write(ServerMessage.Error.of(null, closed))).has("field"));
  }
}
