package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Note;
import io.sangdam.protocol.Fields;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code notes}: the conversation's notes, each with its author's username and name. */
class ListNotesTest {
  private final Desk desk = new Desk();

  @Test
  void theNotesAreListedWithTheirAuthors() {
    InMemoryOutbound out = new InMemoryOutbound();
    ListNotes handler = new ListNotes((agent, conversation) -> CompletableFuture.completedFuture(List.of(
        new Note(88, conversation, desk.lee.id(), "WHISPER", "w1", "offer a refund", desk.time.instant(), false))),
        desk.sessions.views());
    Fields f = desk.frame("{\"type\":\"notes\",\"rid\":\"n\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("notes", answer.path("type").asText());
    assertEquals("n", answer.path("rid").asText());
    assertEquals(5, answer.path("conversation").asLong());
    JsonNode note = answer.path("notes").get(0);
    assertEquals("WHISPER", note.path("kind").asText(), answer.toString());
    assertEquals("lee", note.path("author").path("username").asText());
    assertEquals("offer a refund", note.path("text").asText());
  }
}
