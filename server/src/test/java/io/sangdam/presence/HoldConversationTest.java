package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code hold}: on hold unless {@code "hold":false}, answered with the state asked for. */
class HoldConversationTest {
  private final Desk desk = new Desk();
  private final List<String> held = new ArrayList<>();
  private final HoldConversation handler = new HoldConversation((agent, conversation, hold, origin) -> {
    held.add(agent + " " + conversation + " " + hold);
    return CompletableFuture.completedFuture(null);
  });

  @Test
  void holdIsTheDefaultAndFalseTakesItBack() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession kim = desk.agent(desk.kim, out);
    Fields hold = desk.frame("{\"type\":\"hold\",\"rid\":1,\"conversation\":5}");
    Fields back = desk.frame("{\"type\":\"hold\",\"rid\":2,\"conversation\":5,\"hold\":false}");
    handler.handle(kim, hold, desk.rid(hold));
    handler.handle(kim, back, desk.rid(back));

    assertEquals(List.of("1000 5 true", "1000 5 false"), held);
    JsonNode first = desk.wire(out.messages.get(0));
    JsonNode second = desk.wire(out.messages.get(1));
    assertEquals("hold", first.path("type").asText());
    assertEquals(true, first.path("hold").asBoolean());
    assertEquals(1, first.path("rid").asInt());
    assertEquals(false, second.path("hold").asBoolean());
    assertEquals(2, second.path("rid").asInt());
  }
}
