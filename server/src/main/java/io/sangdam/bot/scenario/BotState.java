package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a conversation is in its scenario, kept with the conversation between replies: the scenario and the version it
 * started on, the node it waits at, the form field being asked ({@code field}, 0 elsewhere), the wrong answers so far
 * ({@code retries}), what the forms collected, the FAQ entries offered as buttons (empty when none are), and the FAQ
 * entry whose answer the bot just gave with "was this helpful?" ({@code answered}, null when no answer awaits a
 * click: any turn after the answer's clears it). The JSON form ({@link #toJson}, {@link #fromJson}) is what is
 * stored, so a conversation carries on after a restart or on another node.
 */
public record BotState(long scenario, int version, String node, int field, int retries, List<CollectedField> fields,
    List<FaqMatcher.Entry> suggestions, String answered) {

  public BotState {
    requireNonNull(node, "node");
    fields = List.copyOf(fields);
    suggestions = List.copyOf(suggestions);
    if (version < 1 || field < 0 || retries < 0) {
      throw new IllegalArgumentException("bot state has version " + version + ", field " + field + ", retries "
          + retries);
    }
  }

  /** A state with no answer awaiting "was this helpful?". */
  public BotState(long scenario, int version, String node, int field, int retries, List<CollectedField> fields,
      List<FaqMatcher.Entry> suggestions) {
    this(scenario, version, node, field, retries, fields, suggestions, null);
  }

  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("scenario", scenario);
    json.put("version", version);
    json.put("node", node);
    json.put("field", field);
    json.put("retries", retries);
    ArrayNode collected = json.putArray("fields");
    for (CollectedField f : fields) {
      collected.addObject().put("name", f.name()).put("label", f.label()).put("type", f.type().wire())
          .put("value", f.value()).put("personal", f.personal());
    }
    ArrayNode offered = json.putArray("suggestions");
    for (FaqMatcher.Entry e : suggestions) {
      offered.addObject().put("id", e.id()).put("question", e.question()).put("answer", e.answer());
    }
    if (answered != null) {
      json.put("answered", answered);
    }
    return json;
  }

  /**
   * Reads what {@link #toJson} wrote; anything else (a damaged row) is refused naming the field. {@code answered} may
   * be absent: states kept before it existed await no click.
   */
  public static BotState fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("bot state must be a JSON object");
    }
    List<CollectedField> fields = new ArrayList<>();
    JsonNode kept = array(json, "fields");
    for (int i = 0; i < kept.size(); i++) {
      JsonNode f = element(kept, "fields", i);
      String at = "fields[" + i + "].";
      String type = string(f, at + "type");
      fields.add(new CollectedField(string(f, at + "name"), string(f, at + "label"), FieldType.ofWire(type)
          .orElseThrow(() -> new IllegalArgumentException("bot state field '" + at + "type' is '" + type
              + "', no field type")),
          string(f, at + "value"), bool(f, at + "personal")));
    }
    List<FaqMatcher.Entry> suggestions = new ArrayList<>();
    JsonNode offered = array(json, "suggestions");
    for (int i = 0; i < offered.size(); i++) {
      JsonNode e = element(offered, "suggestions", i);
      String at = "suggestions[" + i + "].";
      suggestions.add(new FaqMatcher.Entry(string(e, at + "id"), string(e, at + "question"), string(e, at + "answer")));
    }
    return new BotState(number(json, "scenario"), (int) number(json, "version"), string(json, "node"),
        (int) number(json, "field"), (int) number(json, "retries"), fields, suggestions,
        json.hasNonNull("answered") ? string(json, "answered") : null);
  }

  /** {@code path} is the field's name, after a prefix such as {@code fields[0].} inside an array. */
  private static String string(JsonNode json, String path) {
    JsonNode v = json.get(path.substring(path.lastIndexOf('.') + 1));
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("bot state field '" + path + "' must be a string");
    }
    return v.textValue();
  }

  private static long number(JsonNode json, String name) {
    JsonNode v = json.get(name);
    boolean fits = name.equals("scenario") ? v != null && v.canConvertToLong() : v != null && v.canConvertToInt();
    if (!fits || !v.isIntegralNumber() || v.longValue() < 0) {
      throw new IllegalArgumentException("bot state field '" + name + "' must be a whole number, 0 or more");
    }
    return v.longValue();
  }

  private static boolean bool(JsonNode json, String path) {
    JsonNode v = json.get(path.substring(path.lastIndexOf('.') + 1));
    if (v == null || !v.isBoolean()) {
      throw new IllegalArgumentException("bot state field '" + path + "' must be true or false");
    }
    return v.booleanValue();
  }

  private static JsonNode element(JsonNode array, String name, int index) {
    JsonNode v = array.get(index);
    if (!v.isObject()) {
      throw new IllegalArgumentException("bot state field '" + name + "[" + index + "]' must be an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode json, String name) {
    JsonNode v = json.get(name);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException("bot state field '" + name + "' must be an array");
    }
    return v;
  }

  /** Another place in the same scenario; no answer awaits a click there. */
  BotState at(String nodeId, int fieldIndex, int retryCount, List<CollectedField> collected,
      List<FaqMatcher.Entry> offered) {
    return new BotState(scenario, version, nodeId, fieldIndex, retryCount, collected, offered, null);
  }

  /** The same place, with the answer of FAQ entry {@code entry} awaiting "was this helpful?". */
  BotState awaitingRating(String entry) {
    return new BotState(scenario, version, node, field, retries, fields, suggestions, entry);
  }
}
