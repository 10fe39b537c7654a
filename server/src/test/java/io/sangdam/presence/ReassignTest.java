package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code reassign}: to an enabled agent of the conversation's center, audited with the target. */
class ReassignTest {
  private final SupervisionDesk s = new SupervisionDesk();
  private final Desk desk = s.desk;
  private final List<String> reassigned = new ArrayList<>();
  private final Reassign handler = new Reassign(s.supervision, desk.directory, (conversation, target, name) -> {
    reassigned.add(conversation + " " + target + " " + name);
    return CompletableFuture.completedFuture(null);
  }, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void theConversationGoesToTheNamedAgent() {
    Fields f = desk.frame("{\"type\":\"reassign\",\"rid\":\"r\",\"conversation\":5,\"toAgent\":\"lee\"}");
    handler.handle(desk.agent(desk.park, out), f, desk.rid(f));

    assertEquals(List.of("5 1001 Lee"), reassigned);
    JsonNode answer = desk.only(out);
    assertEquals("reassigned", answer.path("type").asText(), answer.toString());
    assertEquals("r", answer.path("rid").asText());
    assertEquals("supervision.reassign", s.audit.entries.get(0).action());
    assertEquals("lee", s.audit.entries.get(0).detail());
  }

  @Test
  void anAgentOutsideTheCenterIsNotFound() {
    Fields f = desk.frame("{\"type\":\"reassign\",\"rid\":\"r\",\"conversation\":5,\"toAgent\":\"park\"}");
    handler.handle(desk.agent(desk.park, out), f, desk.rid(f));
    desk.assertError(out, "not_found", "r");
    assertEquals(List.of(), reassigned);
  }
}
