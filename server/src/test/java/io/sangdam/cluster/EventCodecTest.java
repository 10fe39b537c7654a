package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.cluster.EventCodec.Envelope;
import io.sangdam.cluster.EventCodec.Unreadable;
import io.sangdam.protocol.Json;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final Json json = new Json();
  private final EventCodec codec = new EventCodec(json);

  /** As a node of format 1.0 writes a message (kept as it is: every later 1.x reader must still read it). */
  private static final String MESSAGE_STORED_1_0 = """
      {"v":"1.0","node":"seoul-1","type":"message_stored","event":{
        "conversation":{"id":42,"tenant":1,"center":2,"queue":3,"customer":7,"customerName":"고객",
          "agent":9,"state":"ASSIGNED","priority":0,"createdAt":"2026-12-01T09:00:00.123456Z",
          "queuedAt":"2026-12-01T09:00:00.123456Z","assignedAt":"2026-12-01T09:00:05Z","lastSeq":5,"answered":true},
        "message":{"conversation":42,"seq":5,"senderKind":"AGENT","sender":9,"cmid":"c-5","body":"안녕하세요",
          "at":"2026-12-01T09:00:06.500Z","attachment":{"id":11,"conversation":42,"name":"a.png",
          "contentType":"image/png","size":2048,"sha256":"ab","previewSha256":"cd","uploaderKind":"AGENT",
          "uploader":9,"at":"2026-12-01T09:00:06Z"},"repeated":false},
        "originSession":17}}
      """;

  /** 1.1: the conversation carries its channel. */
  private static final String MESSAGE_STORED_1_1 = MESSAGE_STORED_1_0.replace("\"v\":\"1.0\"", "\"v\":\"1.1\"")
      .replace("\"answered\":true}", "\"answered\":true,\"channel\":\"web\"}");

  /** 1.2: the same message (1.2 added a type, {@code delivery_failed}, below). */
  private static final String MESSAGE_STORED_1_2 = MESSAGE_STORED_1_1.replace("\"v\":\"1.1\"", "\"v\":\"1.2\"");

  private static final String DELIVERY_FAILED_1_2 = """
      {"v":"1.2","node":"seoul-1","type":"delivery_failed","event":{
        "conversation":{"id":42,"tenant":1,"center":2,"queue":3,"customer":7,"customerName":"고객",
          "agent":9,"state":"ASSIGNED","priority":0,"createdAt":"2026-12-01T09:00:00.123456Z",
          "queuedAt":"2026-12-01T09:00:00.123456Z","assignedAt":"2026-12-01T09:00:05Z","lastSeq":5,"answered":true,
          "channel":"web"},
        "seq":5,"item":"message","reason":"status 400"}}
      """;

  /**
   * As a newer node (1.3) writes it: fields this node does not know in the envelope, the event and
   * the records in it, and an optional field (the attachment) left out.
   */
  private static final String MESSAGE_STORED_1_3 = """
      {"v":"1.3","node":"busan-2","type":"message_stored","trace":"x-1","event":{
        "conversation":{"id":42,"tenant":1,"center":2,"queue":3,"customer":7,"customerName":"고객",
          "agent":9,"state":"ASSIGNED","priority":0,"createdAt":"2026-12-01T09:00:00.123456Z",
          "queuedAt":"2026-12-01T09:00:00.123456Z","assignedAt":"2026-12-01T09:00:05Z","lastSeq":5,"answered":true,
          "language":"ko"},
        "message":{"conversation":42,"seq":5,"senderKind":"AGENT","sender":9,"cmid":"c-5","body":"안녕하세요",
          "at":"2026-12-01T09:00:06.5Z","repeated":false,"translated":{"en":"Hello"}},
        "originSession":17,"priority":"high"}}
      """;

  private static Conversation conversation42() {
    return new Conversation(42, 1, 2, 3, 7, "고객", 9L, ConversationState.ASSIGNED, 0,
        Instant.parse("2026-12-01T09:00:00.123456Z"), Instant.parse("2026-12-01T09:00:00.123456Z"),
        Instant.parse("2026-12-01T09:00:05Z"), 5, true, "web");
  }

  private static StoredMessage message5(Attachment attachment) {
    return new StoredMessage(42, 5, SenderKind.AGENT, 9L, "c-5", "안녕하세요", Instant.parse("2026-12-01T09:00:06.5Z"),
        attachment, false);
  }

  private static final Attachment PICTURE = new Attachment(11, 42, "a.png", "image/png", 2048, "ab", "cd",
      SenderKind.AGENT, 9, Instant.parse("2026-12-01T09:00:06Z"));

  @Test
  void readsAMessageAsANodeOfFormat1_0WritesIt() {
    Envelope read = codec.read(bytes(MESSAGE_STORED_1_0));

    assertEquals("seoul-1", read.node());
    assertEquals(new ConversationEvent.MessageStored(conversation42(), message5(PICTURE), 17), read.event());
  }

  @Test
  void writesFormat1_2AsItIsPinnedHere() throws Exception {
    byte[] written = codec.write("seoul-1", new ConversationEvent.MessageStored(conversation42(), message5(PICTURE), 17));

    assertEquals(json.mapper().readTree(MESSAGE_STORED_1_2), json.mapper().readTree(written));
  }

  @Test
  void readsAMessageAsANodeOfFormat1_1WritesIt() {
    assertEquals(new ConversationEvent.MessageStored(conversation42(), message5(PICTURE), 17),
        codec.read(bytes(MESSAGE_STORED_1_1)).event());
  }

  @Test
  void writesAndReadsAGivenUpDelivery() throws Exception {
    ConversationEvent.DeliveryFailed failed = new ConversationEvent.DeliveryFailed(conversation42(), 5, "message",
        "status 400");
    byte[] written = codec.write("seoul-1", failed);

    assertEquals(json.mapper().readTree(DELIVERY_FAILED_1_2), json.mapper().readTree(written));
    assertEquals(failed, codec.read(written).event());
  }

  @Test
  void readsANewerMinorVersionSkippingWhatItDoesNotKnow() {
    Envelope read = codec.read(bytes(MESSAGE_STORED_1_3));

    assertEquals("busan-2", read.node());
    assertEquals(new ConversationEvent.MessageStored(conversation42(), message5(null), 17), read.event());
  }

  @Test
  void refusesAnotherMajorVersion() {
    String newer = MESSAGE_STORED_1_0.replace("\"v\":\"1.0\"", "\"v\":\"2.0\"");
    String older = MESSAGE_STORED_1_0.replace("\"v\":\"1.0\"", "\"v\":\"0.9\"");

    assertEquals(Unreadable.Reason.VERSION, unreadable(newer).reason());
    assertEquals(Unreadable.Reason.VERSION, unreadable(older).reason());
  }

  @Test
  void refusesAnUnknownEventType() {
    Unreadable e = unreadable(MESSAGE_STORED_1_0.replace("message_stored", "message_translated"));

    assertEquals(Unreadable.Reason.UNKNOWN_TYPE, e.reason());
    assertTrue(e.getMessage().contains("message_translated"), e.getMessage());
  }

  @Test
  void refusesWhatDoesNotParseOrLacksARequiredField() {
    List<String> bad = List.of(
        "",
        "not json",
        "[1,2]",
        "{\"v\":\"1.0\"",
        MESSAGE_STORED_1_0 + "{}",
        MESSAGE_STORED_1_0.replace("\"v\":\"1.0\",", ""),
        MESSAGE_STORED_1_0.replace("\"v\":\"1.0\"", "\"v\":1"),
        MESSAGE_STORED_1_0.replace("\"v\":\"1.0\"", "\"v\":\"one\""),
        MESSAGE_STORED_1_0.replace("\"seq\":5", "\"seq\":\"5\""),
        MESSAGE_STORED_1_0.replace("\"seq\":5,", ""),
        MESSAGE_STORED_1_0.replace("\"seq\":5", "\"seq\":99999999999999999999"),
        MESSAGE_STORED_1_0.replace("\"state\":\"ASSIGNED\"", "\"state\":\"TRANSLATING\""),
        MESSAGE_STORED_1_0.replace("\"at\":\"2026-12-01T09:00:06.500Z\"", "\"at\":\"yesterday\""),
        MESSAGE_STORED_1_0.replace("\"event\":{", "\"event\":\"a string\",\"was\":{"),
        MESSAGE_STORED_1_0.replace("\"answered\":true", "\"answered\":null"));

    for (String message : bad) {
      assertEquals(Unreadable.Reason.MALFORMED, unreadable(message).reason(), message);
    }
  }

  @Test
  void everyEventTypeRoundTripsWithEveryField() {
    for (Class<?> type : ConversationEvent.class.getPermittedSubclasses()) {
      ConversationEvent event = (ConversationEvent) sample(type, new Samples(false));

      Envelope read = codec.read(codec.write("seoul-1", event));

      assertEquals("seoul-1", read.node());
      assertEquals(event, read.event(), type.getSimpleName());
    }
  }

  @Test
  void everyEventTypeRoundTripsWithItsOptionalFieldsLeftOut() {
    for (Class<?> type : ConversationEvent.class.getPermittedSubclasses()) {
      ConversationEvent event = (ConversationEvent) sample(type, new Samples(true));

      JsonNode written = tree(codec.write("seoul-1", event));

      assertEquals(event, codec.read(codec.write("seoul-1", event)).event(), type.getSimpleName());
      assertTrue(written.toString().indexOf("null") < 0, "null written for " + type.getSimpleName() + ": " + written);
    }
  }

  @Test
  void everyEventTypeHasItsOwnName() {
    Set<String> names = new HashSet<>();
    for (Class<?> type : ConversationEvent.class.getPermittedSubclasses()) {
      names.add(tree(codec.write("n", (ConversationEvent) sample(type, new Samples(false)))).get("type").textValue());
    }
    assertEquals(ConversationEvent.class.getPermittedSubclasses().length, names.size(), names.toString());
  }

  private Unreadable unreadable(String message) {
    return assertThrows(Unreadable.class, () -> codec.read(bytes(message)), message);
  }

  private JsonNode tree(byte[] written) {
    try {
      return json.mapper().readTree(written);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A record with a distinct value in every component (so a field the codec forgets cannot come
   * back equal), built through its canonical constructor; nested records likewise. With
   * {@code leaveOut}, the components that may be null (boxed numbers, text, instants, attachments) are.
   */
  private static Object sample(Class<?> type, Samples samples) {
    assertTrue(type.isRecord(), type + " is not a record: give it a sample of its own here");
    RecordComponent[] components = type.getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = samples.value(components[i].getType());
    }
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a " + type.getSimpleName(), e);
    }
  }

  private static final class Samples {
    private final boolean leaveOut;
    private int next = 1;

    Samples(boolean leaveOut) {
      this.leaveOut = leaveOut;
    }

    Object value(Class<?> type) {
      int n = next++;
      if (type == long.class) {
        return 1_000_000_000_000L + n;
      } else if (type == int.class) {
        return 100 + n;
      } else if (type == boolean.class) {
        return true;
      } else if (type.isEnum()) {
        Object[] constants = type.getEnumConstants();
        return constants[constants.length - 1];
      } else if (leaveOut && Set.of(Long.class, Integer.class, String.class, Instant.class, Attachment.class,
          io.sangdam.chat.Notice.class).contains(type)) {
        return null;
      } else if (type == Long.class) {
        return 2_000_000_000_000L + n;
      } else if (type == Integer.class) {
        return 200 + n;
      } else if (type == String.class) {
        return "값 " + n + " \"quoted\" \\ \n";
      } else if (type == Instant.class) {
        return Instant.ofEpochSecond(1_800_000_000L + n, 123_456_789);
      } else if (type.isRecord()) {
        return sample(type, this);
      } else if (type == java.util.List.class) {
        // The only lists events carry are a bot message's buttons; none is the same as left out.
        return leaveOut ? java.util.List.of() : java.util.List.of(new io.sangdam.chat.Choice("b" + n, "버튼 " + n),
            new io.sangdam.chat.Choice("c" + n, "\"둘\" " + n));
      } else if (type == java.util.Map.class) {
        // The only maps events carry are a system message's notice params.
        return java.util.Map.of("agent", "김상담 " + n, "minutes", "\"" + n + "\"");
      }
      throw new AssertionError("no sample value of " + type + ": add one here");
    }
  }
}
