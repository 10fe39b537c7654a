package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code transfer}: to a queue ("queue" of the agent's center, or "center/queue") or to another agent of the center. */
class TransferTest {
  private final Desk desk = new Desk();
  private final List<String> handed = new ArrayList<>();
  private final Transfer handler = new Transfer(desk.directory,
      (agent, conversation, queue, note, origin) -> {
        handed.add(agent + " " + conversation + " to queue " + queue.code() + " " + note.orElse("-"));
        return CompletableFuture.completedFuture(null);
      },
      (agent, conversation, target, name, note, origin) -> {
        handed.add(agent + " " + conversation + " to agent " + target + " " + name + " " + note.orElse("-"));
        return CompletableFuture.completedFuture(null);
      }, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void toAQueueOfTheAgentsCenterWithANote() {
    Fields f = desk.frame("{\"type\":\"transfer\",\"rid\":1,\"conversation\":5,\"toQueue\":\"billing\","
        + "\"note\":\"wants a refund\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("1000 5 to queue billing wants a refund"), handed);
    JsonNode answer = desk.only(out);
    assertEquals("transferred", answer.path("type").asText());
    assertEquals(1, answer.path("rid").asInt());
  }

  @Test
  void toAnotherAgentByUsername() {
    Fields f = desk.frame("{\"type\":\"transfer\",\"rid\":2,\"conversation\":5,\"toAgent\":\"lee\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("1000 5 to agent 1001 Lee -"), handed);
    assertEquals("transferred", desk.only(out).path("type").asText());
  }

  @Test
  void notToOneselfNorToAnUnknownQueue() {
    Fields self = desk.frame("{\"type\":\"transfer\",\"rid\":3,\"conversation\":5,\"toAgent\":\"kim\"}");
    handler.handle(desk.agent(desk.kim, out), self, desk.rid(self));
    desk.assertError(out, "invalid_field", "3");

    out.messages.clear();
    Fields unknown = desk.frame("{\"type\":\"transfer\",\"rid\":4,\"conversation\":5,\"toQueue\":\"busan/loans\"}");
    handler.handle(desk.agent(desk.kim, out), unknown, desk.rid(unknown));
    desk.assertError(out, "not_found", "4");
    assertEquals(List.of(), handed);
  }

  @Test
  void exactlyOneTargetIsGiven() {
    Fields both = desk.frame("{\"type\":\"transfer\",\"conversation\":5,\"toQueue\":\"billing\",\"toAgent\":\"lee\"}");
    SangdamException refused = assertThrows(SangdamException.class,
        () -> handler.handle(desk.agent(desk.kim, out), both, null));
    assertEquals(ErrorCode.INVALID_FIELD, refused.code());
  }
}
