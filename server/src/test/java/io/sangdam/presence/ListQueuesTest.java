package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.protocol.Fields;
import org.junit.jupiter.api.Test;

/** {@code queues}: the center's enabled queues and whether it is open now. */
class ListQueuesTest {
  private final Desk desk = new Desk();

  @Test
  void theEnabledQueuesOfAnOpenCenter() {
    desk.put(new Queue(101, 10, "old", "Old", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null, false));
    InMemoryOutbound out = new InMemoryOutbound();
    Fields f = desk.frame("{\"type\":\"queues\",\"rid\":\"q\"}");
    new ListQueues(desk.directory, desk.time, Desk.AT_ONCE).handle(desk.customer(7, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("queues", answer.path("type").asText());
    assertEquals("q", answer.path("rid").asText());
    assertEquals("Seoul", answer.path("center").asText());
    assertEquals(true, answer.path("open").asBoolean());
    assertFalse(answer.has("opensAt"));
    assertEquals(1, answer.path("queues").size(), answer.toString());
    assertEquals("billing", answer.path("queues").get(0).path("code").asText());
  }
}
