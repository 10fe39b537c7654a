package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code pick}: answered by the {@code assigned} that follows, which carries the pick's rid; a failed pick by an error. */
class PickConversationTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void theAssignedThatFollowsCarriesThePicksRid() {
    AgentSession kim = desk.agent(desk.kim, out);
    PickConversation handler = new PickConversation((agent, id) -> {
      // Chat tells the agent before the pick completes, as Assignments does.
      kim.send(new ServerMessage.AssignedToAgent(desk.sessions.views().view(
          desk.conversation(id, agent.agentId(), ConversationState.ASSIGNED)), null));
      return CompletableFuture.completedFuture(null);
    });
    Fields f = desk.frame("{\"type\":\"pick\",\"rid\":\"p1\",\"conversation\":5}");
    handler.handle(kim, f, desk.rid(f));

    JsonNode assigned = desk.only(out);
    assertEquals("assigned", assigned.path("type").asText());
    assertEquals("p1", assigned.path("rid").asText());
  }

  @Test
  void aFailedPickIsAnsweredWithAnErrorAndALaterAssignedCarriesNoRid() {
    AgentSession kim = desk.agent(desk.kim, out);
    PickConversation handler = new PickConversation((agent, id) -> CompletableFuture.failedFuture(
        new SangdamException(ErrorCode.CONFLICT, "taken")));
    Fields f = desk.frame("{\"type\":\"pick\",\"rid\":\"p2\",\"conversation\":5}");
    handler.handle(kim, f, desk.rid(f));
    desk.assertError(out, "conflict", "p2");

    out.messages.clear();
    kim.send(new ServerMessage.AssignedToAgent(desk.sessions.views().view(
        desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED)), null));
    assertEquals(false, desk.only(out).has("rid"));
  }
}
