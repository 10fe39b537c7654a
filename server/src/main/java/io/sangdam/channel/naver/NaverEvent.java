package io.sangdam.channel.naver;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.InboundMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One event Naver TalkTalk posts to the partner's webhook (navertalk/chatbot-api, README "이벤트 명세"
 * and handover_v1.md), reduced to what a consultation needs: who ({@code user}), which event, the text a
 * {@code send} carries (its {@code textContent.text}, an {@code imageContent}'s URL, a
 * {@code compositeContent}'s titles and descriptions), the bot's button a {@code send} answers (its
 * {@code textContent.code}, when it is one of ours, {@code button:<id>}: {@link NaverDelivery}), an {@code open}'s
 * {@code options.under14}, a {@code handover}'s {@code options.control}.
 */
record NaverEvent(Type type, String user, Optional<String> text, Optional<Boolean> under14,
    Optional<String> control, Optional<String> button) {

  /** The events of the documents; {@code echo}, {@code action} and {@code friend} are taken and ignored. */
  enum Type {
    OPEN("open"), SEND("send"), LEAVE("leave"), ECHO("echo"), ACTION("action"), FRIEND("friend"),
    HANDOVER("handover");

    final String wire;

    Type(String wire) {
      this.wire = wire;
    }
  }

  NaverEvent(Type type, String user, Optional<String> text, Optional<Boolean> under14, Optional<String> control) {
    this(type, user, text, under14, control, Optional.empty());
  }

  static final int MAX_BUTTON = 64;

  /** The handover controls of handover_v1.md. */
  static final List<String> CONTROLS = List.of("passThread", "takeThread");

  /** The body's fields, checked: a missing or invalid one is a 422 naming it (dotted, as {@code textContent.text}). */
  static NaverEvent of(JsonNode body) {
    Fields f = new Fields(body);
    String name = f.string("event", 32);
    Type type = null;
    for (Type t : Type.values()) {
      if (t.wire.equals(name)) {
        type = t;
      }
    }
    if (type == null) {
      throw Fields.invalid("event", "is not an event of Naver TalkTalk's chatbot API");
    }
    String user = f.string("user", InboundMessage.MAX_USER);
    if (user.isBlank()) {
      throw Fields.invalid("user", "must not be blank");
    }
    JsonNode options = body.path("options");
    return switch (type) {
      case OPEN -> new NaverEvent(type, user, Optional.empty(), Optional.of(bool(options, "options.under14")),
          Optional.empty());
      case SEND -> new NaverEvent(type, user, Optional.of(text(body)), Optional.empty(), Optional.empty(),
          button(body.path("textContent").path("code")));
      case HANDOVER -> {
        JsonNode control = options.path("control");
        if (!control.isTextual() || !CONTROLS.contains(control.asText())) {
          throw Fields.invalid("options.control", "must be one of " + CONTROLS);
        }
        yield new NaverEvent(type, user, Optional.empty(), Optional.empty(), Optional.of(control.asText()));
      }
      default -> new NaverEvent(type, user, Optional.empty(), Optional.empty(), Optional.empty());
    };
  }

  /**
   * What a {@code send} says, as chat text: "send 이벤트에는 textContent, imageContent, compositeContent 중
   * 하나만" — the first present of the three.
   */
  private static String text(JsonNode body) {
    String text;
    String field;
    if (body.has("textContent")) {
      field = "textContent.text";
      text = string(body.path("textContent"), "text", field);
    } else if (body.has("imageContent")) {
      field = "imageContent.imageUrl";
      text = string(body.path("imageContent"), "imageUrl", field);
    } else if (body.has("compositeContent")) {
      field = "compositeContent.compositeList";
      JsonNode list = body.path("compositeContent").path("compositeList");
      if (!list.isArray()) {
        throw Fields.missing(field);
      }
      List<String> parts = new ArrayList<>();
      for (JsonNode composite : list) {
        for (String part : List.of("title", "description")) {
          if (composite.path(part).isTextual() && !composite.path(part).asText().isBlank()) {
            parts.add(composite.path(part).asText());
          }
        }
      }
      text = String.join("\n", parts);
    } else {
      throw Fields.missing("textContent");
    }
    if (text.isBlank()) {
      throw Fields.invalid(field, "must not be blank");
    }
    if (text.codePointCount(0, text.length()) > Fields.MAX_TEXT) {
      throw new SangdamException(ErrorCode.TOO_LONG, field + " must be at most " + Fields.MAX_TEXT + " characters");
    }
    return text;
  }

  /**
   * The button a tap chose: a code of ours ({@code button:<id>}, the id at most {@value #MAX_BUTTON}
   * characters, as the custom channel's {@code button}). Any other code (the rating's, a partner centre's, a forged or oversized one) is no button: the
   * customer's text is taken as typed, so nothing they sent is refused for it.
   */
  private static Optional<String> button(JsonNode code) {
    if (!code.isTextual() || !code.asText().startsWith(NaverDelivery.BUTTON_CODE)) {
      return Optional.empty();
    }
    String id = code.asText().substring(NaverDelivery.BUTTON_CODE.length());
    return id.isBlank() || id.length() > MAX_BUTTON ? Optional.empty() : Optional.of(id);
  }

  private static String string(JsonNode object, String name, String field) {
    JsonNode value = object.path(name);
    if (value.isMissingNode() || value.isNull()) {
      throw Fields.missing(field);
    }
    if (!value.isTextual()) {
      throw Fields.invalid(field, "must be a string");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode options, String field) {
    JsonNode value = options.path(field.substring(field.indexOf('.') + 1));
    if (value.isMissingNode() || value.isNull()) {
      throw Fields.missing(field);
    }
    if (!value.isBoolean()) {
      throw Fields.invalid(field, "must be true or false");
    }
    return value.asBoolean();
  }
}
