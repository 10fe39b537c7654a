package io.sangdam.cluster;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * JSON between nodes: chat's records as Jackson writes records, instants as ISO-8601 text, unknown
 * fields ignored, so a newer node's additions do not stop an older one from reading (rolling upgrades).
 */
final class ClusterJson {
  private ClusterJson() {}

  static ObjectMapper mapper() {
    SimpleModule instants = new SimpleModule("sangdam-cluster-instants");
    instants.addSerializer(Instant.class, ToStringSerializer.instance);
    instants.addDeserializer(Instant.class, new StdScalarDeserializer<>(Instant.class) {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
        try {
          return Instant.parse(p.getValueAsString());
        } catch (DateTimeParseException | NullPointerException e) {
          return (Instant) context.handleWeirdStringValue(Instant.class, p.getValueAsString(), "not an instant");
        }
      }
    });
    return JsonMapper.builder()
        .addModule(instants)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }
}
