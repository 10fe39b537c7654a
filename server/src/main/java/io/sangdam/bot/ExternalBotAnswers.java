package io.sangdam.bot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sangdam.bot.scenario.BotMessage;
import io.sangdam.bot.scenario.Button;
import io.sangdam.bot.scenario.CollectedField;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.bot.scenario.FieldType;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an external bot's answer, the body of its 2xx or of its REST reply (docs/protocol.md, "External bot
 * webhook"): {@code {"messages"?:[{"text","buttons"?:[{"id","label"}]}],"action":"wait"|"handoff"|"end",
 * "queue"?,"center"?,"fields"?:[{"name","label","value"}]}}. Anything else, too much or too long is
 * {@link ExternalAnswer.Failed}, naming what is wrong; keys it does not know are ignored, so a bot may add its own.
 */
public final class ExternalBotAnswers {
  /** The largest answer read, in bytes. */
  public static final int MAX_BODY = 64 * 1024;
  public static final int MAX_MESSAGES = 5;
  public static final int MAX_FIELDS = 20;
  static final int MAX_BUTTON_ID = 64;
  static final int MAX_FIELD_NAME = 40;
  static final int MAX_FIELD_LABEL = 100;
  static final int MAX_FIELD_VALUE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper(new JsonFactory()
      .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build()));

  private ExternalBotAnswers() {}

  /** The answer in {@code body}, or why it is none. */
  public static ExternalAnswer read(byte[] body) {
    if (body.length > MAX_BODY) {
      return new ExternalAnswer.Failed("the answer is over " + MAX_BODY + " bytes");
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return new ExternalAnswer.Failed("the answer is not JSON");
    }
    if (json == null || !json.isObject()) {
      return new ExternalAnswer.Failed("the answer is not a JSON object");
    }
    try {
      return read(json);
    } catch (Refused e) {
      return new ExternalAnswer.Failed(e.getMessage());
    }
  }

  private static ExternalAnswer.Answered read(JsonNode json) {
    ExternalAnswer.Action action = action(json.get("action"));
    List<BotMessage> messages = new ArrayList<>();
    JsonNode list = array(json, "messages", MAX_MESSAGES);
    for (int i = 0; i < list.size(); i++) {
      String at = "messages[" + i + "].";
      JsonNode m = object(list.get(i), "messages[" + i + "]");
      List<Button> buttons = new ArrayList<>();
      JsonNode offered = array(m, "buttons", Scenario.MAX_BUTTONS, at);
      for (int j = 0; j < offered.size(); j++) {
        String bat = at + "buttons[" + j + "].";
        JsonNode b = object(offered.get(j), at + "buttons[" + j + "]");
        buttons.add(new Button(text(b, "id", MAX_BUTTON_ID, bat), text(b, "label", Scenario.MAX_LABEL, bat)));
      }
      messages.add(new BotMessage(text(m, "text", Scenario.MAX_TEXT, at), buttons));
    }
    List<CollectedField> fields = new ArrayList<>();
    JsonNode given = array(json, "fields", MAX_FIELDS);
    for (int i = 0; i < given.size(); i++) {
      String at = "fields[" + i + "].";
      JsonNode f = object(given.get(i), "fields[" + i + "]");
      fields.add(new CollectedField(text(f, "name", MAX_FIELD_NAME, at), text(f, "label", MAX_FIELD_LABEL, at),
          FieldType.TEXT, text(f, "value", MAX_FIELD_VALUE, at), false));
    }
    String queue = action == ExternalAnswer.Action.HANDOFF ? slug(json, "queue") : null;
    String center = action == ExternalAnswer.Action.HANDOFF ? slug(json, "center") : null;
    if (center != null && queue == null) {
      throw new Refused("'center' is given without 'queue'");
    }
    return new ExternalAnswer.Answered(messages, action, queue, center, fields);
  }

  private static ExternalAnswer.Action action(JsonNode v) {
    if (v == null || !v.isTextual()) {
      throw new Refused("'action' must be one of wait, handoff, end");
    }
    return switch (v.textValue()) {
      case "wait" -> ExternalAnswer.Action.WAIT;
      case "handoff" -> ExternalAnswer.Action.HANDOFF;
      case "end" -> ExternalAnswer.Action.END;
      default -> throw new Refused("'action' is '" + clipped(v.textValue()) + "', not one of wait, handoff, end");
    };
  }

  private static JsonNode array(JsonNode json, String name, int max) {
    return array(json, name, max, "");
  }

  /** The array {@code name} (absent or null: empty) of at most {@code max} items. */
  private static JsonNode array(JsonNode json, String name, int max, String at) {
    JsonNode v = json.get(name);
    if (v == null || v.isNull()) {
      return JSON.createArrayNode();
    }
    if (!v.isArray()) {
      throw new Refused("'" + at + name + "' must be an array");
    }
    if (v.size() > max) {
      throw new Refused("'" + at + name + "' has " + v.size() + " items, more than " + max);
    }
    return v;
  }

  private static JsonNode object(JsonNode v, String at) {
    if (!v.isObject()) {
      throw new Refused("'" + at + "' must be an object");
    }
    return v;
  }

  /** A string of 1 to {@code max} characters, not blank. */
  private static String text(JsonNode json, String name, int max, String at) {
    JsonNode v = json.get(name);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new Refused("'" + at + name + "' must be a non-blank string");
    }
    String s = v.textValue();
    if (s.codePointCount(0, s.length()) > max) {
      throw new Refused("'" + at + name + "' is longer than " + max + " characters");
    }
    return s;
  }

  /** An optional code of a queue or a center. */
  private static String slug(JsonNode json, String name) {
    JsonNode v = json.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || !Fields.SLUG.matcher(v.textValue().toLowerCase(Locale.ROOT)).matches()) {
      throw new Refused("'" + name + "' must be a code matching " + Fields.SLUG.pattern());
    }
    return v.textValue().toLowerCase(Locale.ROOT);
  }

  private static String clipped(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** Why an answer does not read; its message is the bot's to see. */
  private static final class Refused extends RuntimeException {
    Refused(String why) {
      super(why, null, false, false);
    }
  }
}
