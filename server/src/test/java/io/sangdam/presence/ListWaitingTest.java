package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.Fields;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code waiting}: the conversations waiting in the agent's queues, as chat finds them for the agent's profile. */
class ListWaitingTest {
  private final Desk desk = new Desk();

  @Test
  void theWaitingConversationsOfTheAgentsQueues() {
    InMemoryOutbound out = new InMemoryOutbound();
    ListWaiting handler = new ListWaiting(agent -> CompletableFuture.completedFuture(
        agent.queueIds().contains(100L) ? List.of(desk.conversation(5, null, ConversationState.WAITING)) : List.of()),
        desk.sessions.views());
    Fields f = desk.frame("{\"type\":\"waiting\",\"rid\":\"w\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("waiting", answer.path("type").asText());
    assertEquals("w", answer.path("rid").asText());
    JsonNode waiting = answer.path("conversations").get(0);
    assertEquals(5, waiting.path("id").asLong(), answer.toString());
    assertEquals("billing", waiting.path("queue").asText());
    assertEquals("WAITING", waiting.path("state").asText());
  }
}
