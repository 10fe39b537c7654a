package io.sangdam.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.changes.Change;
import java.io.IOException;
import java.util.Locale;

/**
 * Management changes as they travel between nodes: one JSON object each, with the format's version
 * and the node that made the change, e.g. {@code {"v":1,"node":"web1","type":"directory","kind":"USER","id":42}}.
 * A node reads only its own version: during a rolling upgrade that changes this format, old and new
 * nodes drop each other's changes, and their caches catch up by their periodic reads.
 */
final class ChangeMessages {
  /** The format written and the only one read. */
  static final int VERSION = 1;

  /** A change and the node that made it. */
  record Received(String node, Change change) {}

  /** A message that is no change of this format: what is wrong with it. */
  static final class Unreadable extends Exception {
    Unreadable(String why) {
      super(why);
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();

  byte[] write(String node, Change change) {
    ObjectNode out = mapper.createObjectNode();
    out.put("v", VERSION);
    out.put("node", node);
    if (change instanceof Change.DirectoryRow row) {
      out.put("type", "directory");
      out.put("kind", row.kind().name());
      out.put("id", row.id());
    } else if (change instanceof Change.SignedOut signedOut) {
      out.put("type", "signedOut");
      out.put("user", signedOut.userId());
    } else if (change instanceof Change.UserChanged user) {
      out.put("type", "userChanged");
      out.put("user", user.userId());
    } else if (change instanceof Change.LoggedOut loggedOut) {
      out.put("type", "loggedOut");
      out.put("user", loggedOut.userId());
      out.put("token", loggedOut.tokenKey());
    } else if (change instanceof Change.WebhooksChanged hooks) {
      out.put("type", "webhooks");
      out.put("tenant", hooks.tenantId());
    } else if (change instanceof Change.BotChanged bot) {
      out.put("type", "bot");
      out.put("tenant", bot.tenantId());
    } else if (change instanceof Change.CallbacksChanged callbacks) {
      out.put("type", "callbacks");
      out.put("center", callbacks.centerId());
      out.put("queue", callbacks.queueId());
    }
    try {
      return mapper.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a change could not be written as JSON", e);
    }
  }

  Received read(byte[] data) throws Unreadable {
    JsonNode in;
    try {
      in = mapper.readTree(data);
    } catch (IOException e) {
      throw new Unreadable("not JSON");
    }
    if (in == null || !in.isObject()) {
      throw new Unreadable("not a JSON object");
    }
    JsonNode version = in.get("v");
    if (version == null || !version.isInt()) {
      throw new Unreadable("no format version");
    }
    if (version.intValue() != VERSION) {
      throw new Unreadable("format version " + version.intValue() + ", this node reads " + VERSION);
    }
    String node = text(in, "node");
    String type = text(in, "type");
    Change change = switch (type) {
      case "directory" -> new Change.DirectoryRow(kind(text(in, "kind")), id(in, "id"));
      case "signedOut" -> new Change.SignedOut(id(in, "user"));
      case "userChanged" -> new Change.UserChanged(id(in, "user"));
      case "loggedOut" -> new Change.LoggedOut(id(in, "user"), text(in, "token"));
      case "webhooks" -> new Change.WebhooksChanged(id(in, "tenant"));
      case "bot" -> new Change.BotChanged(id(in, "tenant"));
      case "callbacks" -> new Change.CallbacksChanged(id(in, "center"), id(in, "queue"));
      default -> throw new Unreadable("unknown change type '" + abbreviated(type) + "'");
    };
    return new Received(node, change);
  }

  private static Change.Kind kind(String name) throws Unreadable {
    try {
      return Change.Kind.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Unreadable("unknown directory kind '" + abbreviated(name) + "'");
    }
  }

  private static String text(JsonNode in, String field) throws Unreadable {
    JsonNode value = in.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new Unreadable("no " + field);
    }
    return value.textValue();
  }

  private static long id(JsonNode in, String field) throws Unreadable {
    JsonNode value = in.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.longValue() < 1) {
      throw new Unreadable("no " + field + " id");
    }
    return value.longValue();
  }

  /** A value from the wire, short enough for a log line. */
  private static String abbreviated(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
