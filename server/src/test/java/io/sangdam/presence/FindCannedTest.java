package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.canned.CannedResponse;
import io.sangdam.canned.CannedResponses;
import io.sangdam.protocol.Fields;
import org.junit.jupiter.api.Test;

/** {@code canned}: the agent's usable canned responses matching {@code q}, shortcuts written with their slash. */
class FindCannedTest {
  private final Desk desk = new Desk();
  private final InMemoryCannedStore rows = new InMemoryCannedStore();
  private final FindCanned handler = new FindCanned(new CannedResponses(rows), Desk.AT_ONCE);

  @Test
  void theMatchingResponsesAreListed() {
    rows.put(new CannedResponse(70, 1, 10L, null, "Greeting", "hi", "Hello", true));
    rows.put(new CannedResponse(71, 1, 10L, null, "Refund", "refund", "Refunds take 3 days", true));
    rows.put(new CannedResponse(72, 2, null, null, "Other tenant", "hio", "Not ours", true));
    InMemoryOutbound out = new InMemoryOutbound();
    Fields f = desk.frame("{\"type\":\"canned\",\"rid\":9,\"q\":\"/h\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("canned", answer.path("type").asText());
    assertEquals(9, answer.path("rid").asInt());
    assertEquals(1, answer.path("responses").size(), answer.toString());
    assertEquals("/hi", answer.path("responses").get(0).path("shortcut").asText());
    assertEquals(70, answer.path("responses").get(0).path("id").asLong());
  }
}
