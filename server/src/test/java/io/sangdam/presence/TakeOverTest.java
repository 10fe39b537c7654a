package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.Fields;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code takeover}: a manager of the conversation's own center becomes its agent and stops watching it. */
class TakeOverTest {
  private final SupervisionDesk s = new SupervisionDesk();
  private final Desk desk = s.desk;
  private final TakeOver handler = new TakeOver(s.supervision, (supervisor, name, conversation, origin) ->
      CompletableFuture.completedFuture(desk.conversation(conversation, supervisor, ConversationState.ASSIGNED)),
      desk.sessions);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void theManagerTakesTheConversationOver() {
    AgentSession lee = desk.agent(desk.lee, out);
    desk.sessions.watch(s.open, lee);
    Fields f = desk.frame("{\"type\":\"takeover\",\"rid\":\"t\",\"conversation\":5}");
    handler.handle(lee, f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("takenOver", answer.path("type").asText(), answer.toString());
    assertEquals("t", answer.path("rid").asText());
    assertEquals("lee", answer.path("conversation").path("agent").path("username").asText());
    assertFalse(desk.sessions.watching(5, lee));
    assertEquals("supervision.takeover", s.audit.entries.get(0).action());
  }

  @Test
  void aTenantAdminWithoutACenterCannotTakeOver() {
    Fields f = desk.frame("{\"type\":\"takeover\",\"rid\":\"t\",\"conversation\":5}");
    handler.handle(desk.agent(desk.park, out), f, desk.rid(f));
    desk.assertError(out, "forbidden", "t");
  }
}
