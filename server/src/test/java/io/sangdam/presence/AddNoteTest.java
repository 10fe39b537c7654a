package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Note;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code note}: stored by chat with the author and the session it came from, acknowledged with the note's id. */
class AddNoteTest {
  private final Desk desk = new Desk();

  @Test
  void theNoteIsStoredAndAcknowledged() {
    List<String> stored = new ArrayList<>();
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession kim = desk.agent(desk.kim, out);
    AddNote handler = new AddNote((author, conversation, cmid, text, origin) -> {
      stored.add(author + " " + conversation + " " + cmid + " " + text + " from " + origin);
      return CompletableFuture.completedFuture(new Note(88, conversation, author, "NOTE", cmid, text,
          desk.time.instant(), false));
    });
    Fields f = desk.frame("{\"type\":\"note\",\"rid\":4,\"conversation\":5,\"cmid\":\"n1\",\"text\":\"VIP\"}");
    handler.handle(kim, f, desk.rid(f));

    assertEquals(List.of("1000 5 n1 VIP from " + kim.id()), stored);
    JsonNode ack = desk.only(out);
    assertEquals("ack", ack.path("type").asText());
    assertEquals(4, ack.path("rid").asInt());
    assertEquals(88, ack.path("seq").asLong(), ack.toString());
    assertEquals(true, ack.path("note").asBoolean());
  }
}
