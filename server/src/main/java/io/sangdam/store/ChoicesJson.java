package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sangdam.chat.Choice;
import java.util.ArrayList;
import java.util.List;

/** A bot message's buttons as the {@code message.buttons} column keeps them: {@code [{"id","label"}]}, NULL for none. */
final class ChoicesJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChoicesJson() {}

  static String write(List<Choice> buttons) {
    if (buttons.isEmpty()) {
      return null;
    }
    ArrayNode array = JSON.createArrayNode();
    buttons.forEach(b -> array.addObject().put("id", b.id()).put("label", b.label()));
    return array.toString();
  }

  static List<Choice> read(String column) {
    if (column == null) {
      return List.of();
    }
    try {
      List<Choice> buttons = new ArrayList<>();
      for (JsonNode b : JSON.readTree(column)) {
        buttons.add(new Choice(b.path("id").asText(), b.path("label").asText()));
      }
      return buttons;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message.buttons holds no JSON array: " + e.getOriginalMessage(), e);
    }
  }
}
