package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvent.Assigned;
import io.sangdam.chat.ConversationEvent.Closed;
import io.sangdam.chat.ConversationEvent.CustomerPresence;
import io.sangdam.chat.ConversationEvent.DeliveryFailed;
import io.sangdam.chat.ConversationEvent.Held;
import io.sangdam.chat.ConversationEvent.MessageStored;
import io.sangdam.chat.ConversationEvent.Moved;
import io.sangdam.chat.ConversationEvent.Noted;
import io.sangdam.chat.ConversationEvent.Queued;
import io.sangdam.chat.ConversationEvent.Rated;
import io.sangdam.chat.ConversationEvent.Started;
import io.sangdam.chat.ConversationEvent.Transferred;
import io.sangdam.chat.ConversationEvent.WaitingAdded;
import io.sangdam.chat.ConversationEvent.WaitingRemoved;
import io.sangdam.protocol.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of a conversation event between nodes: one JSON object,
 * {@code {"v":"1.0","node":"<publishing node>","type":"message_stored","event":{...}}}. The fields
 * of each type and of the records in them are named here, not taken from the Java names, so a
 * rename in chat never changes the wire unnoticed ({@code EventCodecTest} pins the 1.2 form; 1.1 added the
 * conversation's optional {@code channel}, 1.2 the type {@code delivery_failed}).
 *
 * <p>Compatibility, for a rolling upgrade with old and new nodes side by side: a reader accepts
 * every message of its own major version, whatever the minor, ignoring fields it does not know and
 * taking an optional field that is absent as null. So within a major a newer node may only add: an
 * optional field (the minor goes up; old readers skip it), or a new event type (old readers drop it,
 * counted as {@code unknown_type}). Anything else (a field removed, renamed, made required or given
 * another meaning, a new value of an enum) is a new major; a reader drops a message of another major
 * (counted as {@code version}), so such a change needs two upgrades: first every node learns to read
 * the new major, then nodes start writing it.
 */
public final class EventCodec {
  /** Bumped for a change old readers cannot read (see above); they drop such messages. */
  static final int MAJOR = 1;
  /** Bumped when fields are added; informative only, readers of the same major accept any. */
  static final int MINOR = 2;
  static final String VERSION = MAJOR + "." + MINOR;
  private static final Pattern VERSION_FORM = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})");

  private final ObjectMapper mapper;
  private final Map<Class<?>, Kind<?>> byClass = new HashMap<>();
  private final Map<String, Kind<?>> byName = new HashMap<>();

  public EventCodec(Json json) {
    this.mapper = requireNonNull(json, "json").mapper();
    for (Kind<?> kind : kinds()) {
      byClass.put(kind.type, kind);
      byName.put(kind.name, kind);
    }
  }

  /** A message read from the bus: the node that published it and its event. */
  public record Envelope(String node, ConversationEvent event) {}

  /** The message {@code node} publishes for {@code event}. */
  public byte[] write(String node, ConversationEvent event) {
    Kind<?> kind = byClass.get(event.getClass());
    if (kind == null) {
      throw new IllegalArgumentException("no wire form for " + event.getClass().getName());
    }
    ObjectNode envelope = mapper.createObjectNode();
    envelope.put("v", VERSION);
    envelope.put("node", node);
    envelope.put("type", kind.name);
    kind.writeTo(event, envelope.putObject("event"));
    return writeBytes(envelope);
  }

  /** Reads a message of the bus; throws {@link Unreadable}, saying why, for one this node cannot use. */
  public Envelope read(byte[] message) {
    JsonNode envelope;
    try {
      envelope = mapper.readTree(message);
    } catch (IOException e) {
      throw new Unreadable(Unreadable.Reason.MALFORMED, "not JSON: " + firstLine(e));
    }
    if (envelope == null || !envelope.isObject()) {
      throw new Unreadable(Unreadable.Reason.MALFORMED, "not a JSON object");
    }
    WireFields fields = new WireFields(envelope);
    requireOwnMajor(fields.text("v"));
    String node = fields.text("node");
    String type = fields.text("type");
    Kind<?> kind = byName.get(type);
    if (kind == null) {
      throw new Unreadable(Unreadable.Reason.UNKNOWN_TYPE, "unknown event type " + quoted(type) + " from " + node);
    }
    try {
      return new Envelope(node, kind.read.apply(fields.object("event")));
    } catch (Unreadable e) {
      throw new Unreadable(e.reason(), type + " from " + node + ": " + e.getMessage());
    }
  }

  private static void requireOwnMajor(String version) {
    Matcher m = VERSION_FORM.matcher(version);
    if (!m.matches()) {
      throw new Unreadable(Unreadable.Reason.MALFORMED, "format version " + quoted(version) + " is not major.minor");
    }
    if (Integer.parseInt(m.group(1)) != MAJOR) {
      throw new Unreadable(Unreadable.Reason.VERSION, "format version " + version + ": this node reads " + MAJOR + ".x");
    }
  }

  /** The messages that name their event type; a new ConversationEvent needs its line here (EventCodecTest checks). */
  private List<Kind<?>> kinds() {
    WireRecords r = new WireRecords();
    return List.of(
        new Kind<>("started", Started.class,
            (e, o) -> r.conversation(o, e.conversation()),
            f -> new Started(r.conversation(f))),
        new Kind<>("queued", Queued.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("position", e.position());
              putIfPresent(o, "etaSeconds", e.etaSeconds());
            },
            f -> new Queued(r.conversation(f), f.integer("position"), f.optionalInteger("etaSeconds"))),
        new Kind<>("assigned", Assigned.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              putIfPresent(o, "note", e.note());
            },
            f -> new Assigned(r.conversation(f), f.optionalText("note"))),
        new Kind<>("message_stored", MessageStored.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              r.message(o.putObject("message"), e.message());
              o.put("originSession", e.originSession());
            },
            f -> new MessageStored(r.conversation(f), r.message(f.object("message")), f.integer64("originSession"))),
        new Kind<>("noted", Noted.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              r.note(o.putObject("note"), e.note());
              o.put("originSession", e.originSession());
            },
            f -> new Noted(r.conversation(f), r.note(f.object("note")), f.integer64("originSession"))),
        new Kind<>("transferred", Transferred.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("fromAgent", e.fromAgentId());
              o.put("originSession", e.originSession());
            },
            f -> new Transferred(r.conversation(f), f.integer64("fromAgent"), f.integer64("originSession"))),
        new Kind<>("held", Held.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("hold", e.hold());
              o.put("originSession", e.originSession());
            },
            f -> new Held(r.conversation(f), f.bool("hold"), f.integer64("originSession"))),
        new Kind<>("moved", Moved.class,
            (e, o) -> r.conversation(o, e.conversation()),
            f -> new Moved(r.conversation(f))),
        new Kind<>("closed", Closed.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              putIfPresent(o, "reason", e.reason());
              o.put("originSession", e.originSession());
            },
            f -> new Closed(r.conversation(f), f.optionalText("reason"), f.integer64("originSession"))),
        new Kind<>("rated", Rated.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("score", e.score());
              putIfPresent(o, "comment", e.comment());
            },
            f -> new Rated(r.conversation(f), f.integer("score"), f.optionalText("comment"))),
        new Kind<>("customer_presence", CustomerPresence.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("online", e.online());
            },
            f -> new CustomerPresence(r.conversation(f), f.bool("online"))),
        new Kind<>("waiting_added", WaitingAdded.class,
            (e, o) -> r.conversation(o, e.conversation()),
            f -> new WaitingAdded(r.conversation(f))),
        new Kind<>("delivery_failed", DeliveryFailed.class,
            (e, o) -> {
              r.conversation(o, e.conversation());
              o.put("seq", e.seq());
              putIfPresent(o, "item", e.item());
              putIfPresent(o, "reason", e.reason());
            },
            f -> new DeliveryFailed(r.conversation(f), f.integer64("seq"), f.optionalText("item"),
                f.optionalText("reason"))),
        new Kind<>("waiting_removed", WaitingRemoved.class,
            (e, o) -> {
              o.put("conversationId", e.conversationId());
              o.put("centerId", e.centerId());
              o.put("queueId", e.queueId());
            },
            f -> new WaitingRemoved(f.integer64("conversationId"), f.integer64("centerId"), f.integer64("queueId"))));
  }

  static void putIfPresent(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  static void putIfPresent(ObjectNode o, String name, Integer value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  static void putIfPresent(ObjectNode o, String name, Long value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private byte[] writeBytes(ObjectNode envelope) {
    try {
      return mapper.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write an event", e);
    }
  }

  /** The parser's complaint without the excerpt of the input it appends (a log line, not a dump). */
  private static String firstLine(IOException e) {
    String message = e instanceof JacksonException j ? j.getOriginalMessage() : null;
    return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }

  static String quoted(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "\"" + shown + "\"";
  }

  /** One event type: its wire name, and how its fields are written and read. */
  private record Kind<E extends ConversationEvent>(String name, Class<E> type, BiConsumer<E, ObjectNode> write,
      Function<WireFields, E> read) {
    void writeTo(ConversationEvent event, ObjectNode o) {
      write.accept(type.cast(event), o);
    }
  }

  /** A bus message this node cannot use, and why: the reason is the {@code reason} tag of the drop counter. */
  public static final class Unreadable extends RuntimeException {
    /** The drop counter's tag values. */
    public enum Reason {
      MALFORMED("malformed"),
      UNKNOWN_TYPE("unknown_type"),
      VERSION("version");

      private final String tag;

      Reason(String tag) {
        this.tag = tag;
      }

      public String tag() {
        return tag;
      }
    }

    private final Reason reason;

    Unreadable(Reason reason, String message) {
      // No stack trace: a bad message is an input problem, logged in one line.
      super(message, null, false, false);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }
}
