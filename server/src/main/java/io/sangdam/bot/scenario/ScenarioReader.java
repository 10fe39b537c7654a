package io.sangdam.bot.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads scenario JSON into a {@link Scenario}, gathering every field problem (each naming its node) before refusing,
 * so one 422 lists them all. JSON {@code null} is read as absent; a key a node type does not know is refused, since it
 * is nearly always a misspelt one ({@code "nxet"}) whose intent would otherwise be lost.
 */
final class ScenarioReader {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0," + (Scenario.MAX_ID - 1) + "}");
  private static final Pattern REASON = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int MAX_NAME = 100;
  private static final int DEFAULT_MAX_LENGTH = 200;

  private static final Set<String> SCENARIO_KEYS = Set.of("name", "start", "fallback", "maxRetries", "texts", "nodes");
  private static final Map<String, Set<String>> NODE_KEYS = Map.ofEntries(
      Map.entry("message", Set.of("id", "type", "text", "next")),
      Map.entry("menu", Set.of("id", "type", "text", "buttons")),
      Map.entry("form", Set.of("id", "type", "text", "fields", "next")),
      Map.entry("faq", Set.of("id", "type", "text", "confident", "unsure", "nothing")),
      Map.entry("hours", Set.of("id", "type", "center", "open", "closed")),
      Map.entry("handoff", Set.of("id", "type", "text", "queue", "center")),
      Map.entry("inquiry", Set.of("id", "type", "text", "queue", "center")),
      Map.entry("callback", Set.of("id", "type", "ask", "text", "queue", "center")),
      Map.entry("end", Set.of("id", "type", "text", "reason")),
      Map.entry("externalBot", Set.of("id", "type", "endpoint", "next", "failure")));
  private static final Set<String> FIELD_KEYS = Set.of("name", "type", "label", "prompt", "required", "message",
      "personal", "pattern", "min", "max", "maxLength");

  private final JsonNode body;
  private final List<ScenarioProblem> problems = new ArrayList<>();

  ScenarioReader(JsonNode body) {
    this.body = body;
  }

  Scenario read(long id, int version) {
    if (body == null || !body.isObject()) {
      throw new InvalidScenarioException(List.of(new ScenarioProblem(null, "", "must be a JSON object")));
    }
    Json.requireValidText(body);
    In top = new In(null, "", body);
    top.onlyKeys(SCENARIO_KEYS);
    String name = top.text("name", true, MAX_NAME);
    String start = top.ref("start", true);
    Scenario.Fallback fallback = fallback(top.object("fallback", true));
    int maxRetries = top.integer("maxRetries", 1, Scenario.MAX_RETRIES, Scenario.DEFAULT_RETRIES);
    Scenario.Texts texts = texts(top.object("texts", false));
    Map<String, Node> nodes = new LinkedHashMap<>();
    JsonNode list = top.array("nodes", Scenario.MAX_NODES);
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        Node node = node(i, list.get(i));
        if (node != null && nodes.putIfAbsent(node.id(), node) != null) {
          problems.add(new ScenarioProblem(node.id(), "id", "is used by another node too (nodes[" + i + "])"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidScenarioException(problems);
    }
    return new Scenario(id, version, name, start, fallback, maxRetries, texts, nodes);
  }

  private Scenario.Fallback fallback(JsonNode json) {
    if (json == null) {
      return null;
    }
    In in = new In(null, "fallback.", json);
    in.onlyKeys(Set.of("text", "next"));
    return new Scenario.Fallback(in.text("text", true, Scenario.MAX_TEXT), in.ref("next", true));
  }

  private Scenario.Texts texts(JsonNode json) {
    Scenario.Texts korean = Scenario.Texts.KOREAN;
    if (json == null) {
      return korean;
    }
    In in = new In(null, "texts.", json);
    in.onlyKeys(Set.of("suggest", "noneOfThese", "skip", "helpful", "unhelpful", "thanks", "sorry"));
    String suggest = in.text("suggest", false, Scenario.MAX_TEXT);
    String none = in.text("noneOfThese", false, Scenario.MAX_LABEL);
    String skip = in.text("skip", false, Scenario.MAX_LABEL);
    String helpful = in.text("helpful", false, Scenario.MAX_LABEL);
    String unhelpful = in.text("unhelpful", false, Scenario.MAX_LABEL);
    String thanks = in.text("thanks", false, Scenario.MAX_TEXT);
    String sorry = in.text("sorry", false, Scenario.MAX_TEXT);
    return new Scenario.Texts(suggest != null ? suggest : korean.suggest(),
        none != null ? none : korean.noneOfThese(), skip != null ? skip : korean.skip(),
        helpful != null ? helpful : korean.helpful(), unhelpful != null ? unhelpful : korean.unhelpful(),
        thanks != null ? thanks : korean.thanks(), sorry != null ? sorry : korean.sorry());
  }

  private Node node(int index, JsonNode json) {
    if (json == null || !json.isObject()) {
      problems.add(new ScenarioProblem(null, "nodes[" + index + "]", "must be an object"));
      return null;
    }
    // Until the id is read the problems name the node by its place in the list.
    In in = new In(null, "nodes[" + index + "].", json);
    String id = in.ref("id", true);
    if (id == null) {
      return null;
    }
    in = new In(id, "", json);
    String type = in.text("type", true, 32);
    if (type == null) {
      return null;
    }
    Set<String> keys = NODE_KEYS.get(type);
    if (keys == null) {
      in.problem("type", "is '" + type + "', not one of message, menu, form, faq, hours, handoff, inquiry, callback, end, "
          + "externalBot");
      return null;
    }
    in.onlyKeys(keys);
    return switch (type) {
      case "message" -> new Node.Message(id, in.text("text", true, Scenario.MAX_TEXT), in.ref("next", true));
      case "menu" -> new Node.Menu(id, in.text("text", true, Scenario.MAX_TEXT), buttons(in));
      case "form" -> new Node.Form(id, in.text("text", false, Scenario.MAX_TEXT), fields(in), in.ref("next", true));
      case "faq" -> new Node.Faq(id, in.text("text", true, Scenario.MAX_TEXT), in.ref("confident", true),
          in.ref("unsure", true), in.ref("nothing", true));
      case "hours" -> new Node.Hours(id, in.slug("center", false), in.ref("open", true), in.ref("closed", true));
      case "handoff" -> new Node.Handoff(id, in.text("text", false, Scenario.MAX_TEXT), in.slug("queue", true),
          in.slug("center", false));
      case "inquiry" -> new Node.Inquiry(id, in.text("text", false, Scenario.MAX_TEXT), in.slug("queue", true),
          in.slug("center", false));
      case "callback" -> new Node.Callback(id, in.text("ask", false, Scenario.MAX_TEXT),
          in.text("text", false, Scenario.MAX_TEXT), in.slug("queue", true), in.slug("center", false));
      case "end" -> new Node.End(id, in.text("text", false, Scenario.MAX_TEXT), in.matching("reason", REASON,
          "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit"));
      case "externalBot" -> new Node.ExternalBot(id, in.slug("endpoint", true), in.ref("next", true),
          in.ref("failure", true));
      default -> throw new IllegalStateException("type " + type + " listed but not read");
    };
  }

  private List<Node.MenuButton> buttons(In in) {
    JsonNode list = in.array("buttons", Scenario.MAX_BUTTONS);
    List<Node.MenuButton> buttons = new ArrayList<>();
    if (list == null) {
      return buttons;
    }
    if (list.isEmpty()) {
      in.problem("buttons", "must have at least one button");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      In button = in.element("buttons", i, list.get(i));
      if (button == null) {
        continue;
      }
      button.onlyKeys(Set.of("id", "label", "next"));
      String id = button.ref("id", true);
      if (id != null && !ids.add(id)) {
        button.problem("id", "is '" + id + "', the id of another button of this menu");
      }
      buttons.add(new Node.MenuButton(id, button.text("label", true, Scenario.MAX_LABEL), button.ref("next", true)));
    }
    return buttons;
  }

  private List<FormField> fields(In in) {
    JsonNode list = in.array("fields", Scenario.MAX_FIELDS);
    List<FormField> fields = new ArrayList<>();
    if (list == null) {
      return fields;
    }
    if (list.isEmpty()) {
      in.problem("fields", "must have at least one field");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      In field = in.element("fields", i, list.get(i));
      if (field != null) {
        FormField read = field(field);
        if (read != null && !names.add(read.name())) {
          field.problem("name", "is '" + read.name() + "', the name of another field of this form");
        }
        if (read != null) {
          fields.add(read);
        }
      }
    }
    return fields;
  }

  private FormField field(In in) {
    in.onlyKeys(FIELD_KEYS);
    String name = in.ref("name", true);
    String typeName = in.text("type", true, 32);
    FieldType type = null;
    if (typeName != null) {
      type = FieldType.ofWire(typeName).orElse(null);
      if (type == null) {
        in.problem("type", "is '" + typeName + "', not one of " + FieldType.wireNames());
      }
    }
    String label = in.text("label", true, Scenario.MAX_LABEL);
    String prompt = in.text("prompt", true, Scenario.MAX_TEXT);
    boolean required = in.bool("required", true);
    String message = in.text("message", false, Scenario.MAX_TEXT);
    Pattern pattern = null;
    String patternText = in.text("pattern", false, Scenario.MAX_PATTERN);
    Long min = in.has("min") ? (long) in.integer("min", Integer.MIN_VALUE, Integer.MAX_VALUE, 0) : null;
    Long max = in.has("max") ? (long) in.integer("max", Integer.MIN_VALUE, Integer.MAX_VALUE, 0) : null;
    int maxLength = in.integer("maxLength", 1, Scenario.MAX_TEXT, DEFAULT_MAX_LENGTH);
    if (type == null) {
      return null;
    }
    boolean personal = in.bool("personal", type.personalByDefault());
    if (patternText != null) {
      if (type != FieldType.TEXT && type != FieldType.ORDER_NUMBER) {
        in.problem("pattern", "applies to text and orderNumber fields only");
      }
      try {
        pattern = Pattern.compile(patternText);
      } catch (PatternSyntaxException e) {
        in.problem("pattern", "is not a regular expression: " + e.getDescription());
      }
    } else if (type == FieldType.ORDER_NUMBER) {
      pattern = FieldType.DEFAULT_ORDER_NUMBER;
    }
    if ((min != null || max != null) && type != FieldType.NUMBER) {
      in.problem(min != null ? "min" : "max", "applies to number fields only");
    }
    if (min != null && max != null && min > max) {
      in.problem("max", "must not be less than min");
    }
    return new FormField(name, type, label, prompt, required, message, personal, pattern, min, max, maxLength);
  }

  /** One JSON object of the scenario, read field by field into {@link #problems} under its node and path prefix. */
  private final class In {
    private final String node;
    private final String prefix;
    private final JsonNode json;

    In(String node, String prefix, JsonNode json) {
      this.node = node;
      this.prefix = prefix;
      this.json = json;
    }

    void problem(String field, String message) {
      problems.add(new ScenarioProblem(node, prefix + field, message));
    }

    boolean has(String field) {
      JsonNode v = json.get(field);
      return v != null && !v.isNull();
    }

    void onlyKeys(Set<String> known) {
      json.fieldNames().forEachRemaining(key -> {
        if (!known.contains(key)) {
          problem(key, "is not a field here; fields are " + String.join(", ", known.stream().sorted().toList()));
        }
      });
    }

    String text(String field, boolean required, int maxLength) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          problem(field, "is required");
        }
        return null;
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        problem(field, "must be a non-blank string");
        return null;
      }
      String s = v.textValue();
      if (s.codePointCount(0, s.length()) > maxLength) {
        problem(field, "must be at most " + maxLength + " characters");
        return null;
      }
      return s;
    }

    /** A node id, or an id of a button or field: same form. */
    String ref(String field, boolean required) {
      return matching(field, ID, required,
          "must be 1 to " + Scenario.MAX_ID + " of A-Z, a-z, 0-9, _ and -, starting with a letter or digit");
    }

    String slug(String field, boolean required) {
      return matching(field, Fields.SLUG, required, "must be a code matching [a-z0-9][a-z0-9-]{0,31}");
    }

    String matching(String field, Pattern pattern, String why) {
      return matching(field, pattern, true, why);
    }

    private String matching(String field, Pattern pattern, boolean required, String why) {
      String s = text(field, required, 64);
      if (s != null && !pattern.matcher(s).matches()) {
        problem(field, "is '" + s + "'; it " + why);
        return null;
      }
      return s;
    }

    int integer(String field, int min, int max, int otherwise) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        return otherwise;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
        problem(field, "must be a whole number from " + min + " to " + max);
        return otherwise;
      }
      return v.intValue();
    }

    boolean bool(String field, boolean otherwise) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        return otherwise;
      }
      if (!v.isBoolean()) {
        problem(field, "must be true or false");
        return otherwise;
      }
      return v.booleanValue();
    }

    JsonNode object(String field, boolean required) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        if (required) {
          problem(field, "is required");
        }
        return null;
      }
      if (!v.isObject()) {
        problem(field, "must be an object");
        return null;
      }
      return v;
    }

    JsonNode array(String field, int maxItems) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        problem(field, "is required");
        return null;
      }
      if (!v.isArray()) {
        problem(field, "must be an array");
        return null;
      }
      if (v.size() > maxItems) {
        problem(field, "must have at most " + maxItems + " items");
        return null;
      }
      return v;
    }

    /** An element of an array of objects, read under the path {@code field[i].}. */
    In element(String field, int index, JsonNode element) {
      if (element == null || !element.isObject()) {
        problem(field + "[" + index + "]", "must be an object");
        return null;
      }
      return new In(node, prefix + field + "[" + index + "].", element);
    }
  }
}
