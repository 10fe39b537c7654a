package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code leave}: answered {@code closed}, inviting to rate a chat that had an agent. */
class LeaveConversationTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final CustomerSession hong = desk.customer(7, out);

  @Test
  void leavingAChatThatHadAnAgentInvitesToRate() {
    LeaveConversation handler = new LeaveConversation((customer, conversation, origin) ->
        CompletableFuture.completedFuture(conversation == 5 ? "customer" : "abandoned"));
    Fields had = desk.frame("{\"type\":\"leave\",\"rid\":3,\"conversation\":5}");
    Fields waited = desk.frame("{\"type\":\"leave\",\"rid\":4,\"conversation\":6}");
    handler.handle(hong, had, desk.rid(had));
    handler.handle(hong, waited, desk.rid(waited));

    JsonNode first = desk.wire(out.messages.get(0));
    assertEquals("closed", first.path("type").asText());
    assertEquals(true, first.path("rate").asBoolean());
    JsonNode second = desk.wire(out.messages.get(1));
    assertEquals("abandoned", second.path("reason").asText());
    assertEquals(false, second.has("rate"));
  }
}
