package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sangdam.chat.CollectedValue;
import java.util.ArrayList;
import java.util.List;

/** What a bot collected as {@code conversation.bot_fields} keeps it: {@code [{"name","label","value","shown"}]}. */
final class CollectedValuesJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CollectedValuesJson() {}

  static String write(List<CollectedValue> fields) {
    ArrayNode array = JSON.createArrayNode();
    fields.forEach(f -> array.addObject().put("name", f.name()).put("label", f.label()).put("value", f.value())
        .put("shown", f.shown()));
    return array.toString();
  }

  static List<CollectedValue> read(String column) {
    if (column == null) {
      return List.of();
    }
    try {
      List<CollectedValue> fields = new ArrayList<>();
      for (JsonNode f : JSON.readTree(column)) {
        fields.add(new CollectedValue(f.path("name").asText(), f.path("label").asText(), f.path("value").asText(),
            f.path("shown").asText()));
      }
      return fields;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("conversation.bot_fields holds no JSON array: " + e.getOriginalMessage(), e);
    }
  }
}
