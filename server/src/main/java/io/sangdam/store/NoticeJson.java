package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.chat.Notice;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A system message's notice as the {@code message.system_key} and {@code system_params} columns keep it: the key,
 * and the params as a JSON object of strings; both NULL for any other message.
 */
final class NoticeJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NoticeJson() {}

  static String params(Notice notice) {
    if (notice == null) {
      return null;
    }
    ObjectNode object = JSON.createObjectNode();
    notice.params().forEach(object::put);
    return object.toString();
  }

  static Notice read(String key, String params) {
    if (key == null) {
      return null;
    }
    try {
      Map<String, String> values = new LinkedHashMap<>();
      if (params != null) {
        JSON.readTree(params).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
      }
      return new Notice(key, values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("message.system_params holds no JSON object: " + e.getOriginalMessage(), e);
    }
  }
}
