package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Note;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code whisper}: stored as the supervisor's note, acknowledged as a note, audited. */
class WhisperTest {
  private final SupervisionDesk s = new SupervisionDesk();
  private final Desk desk = s.desk;

  @Test
  void theWhisperIsStoredAcknowledgedAndAudited() {
    List<String> whispered = new ArrayList<>();
    Whisper handler = new Whisper(s.supervision, (author, conversation, cmid, text, origin) -> {
      whispered.add(author + " " + conversation + " " + cmid + " " + text);
      return CompletableFuture.completedFuture(new Note(77, conversation, author, "WHISPER", cmid, text,
          desk.time.instant(), false));
    });
    InMemoryOutbound out = new InMemoryOutbound();
    Fields f = desk.frame("{\"type\":\"whisper\",\"rid\":\"w\",\"conversation\":5,\"cmid\":\"w1\",\"text\":\"refund\"}");
    handler.handle(desk.agent(desk.lee, out), f, desk.rid(f));

    assertEquals(List.of("1001 5 w1 refund"), whispered);
    JsonNode ack = desk.only(out);
    assertEquals("ack", ack.path("type").asText());
    assertEquals("w", ack.path("rid").asText());
    assertEquals(77, ack.path("seq").asLong());
    assertEquals(true, ack.path("note").asBoolean());
    assertEquals("supervision.whisper", s.audit.entries.get(0).action());
  }

  @Test
  void outOfScopeIsNotFound() {
    InMemoryOutbound out = new InMemoryOutbound();
    Whisper handler = new Whisper(s.supervision, (author, conversation, cmid, text, origin) -> {
      throw new AssertionError("not stored");
    });
    Fields f = desk.frame("{\"type\":\"whisper\",\"rid\":\"w\",\"conversation\":8,\"cmid\":\"w1\",\"text\":\"x\"}");
    handler.handle(desk.agent(desk.lee, out), f, desk.rid(f));
    desk.assertError(out, "not_found", "w");
  }
}
