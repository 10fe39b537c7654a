package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.OfflineInquiry;
import io.sangdam.protocol.Fields;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code inquiries}: what was left for the agent's own center. */
class ListInquiriesTest {
  private final Desk desk = new Desk();

  @Test
  void theInquiriesOfTheAgentsCenter() {
    InMemoryOutbound out = new InMemoryOutbound();
    ListInquiries handler = new ListInquiries(center -> center == 10 ? List.of(new OfflineInquiry(3, 10, 100, 7,
        "Hong", "hong@example.com", "call me", desk.time.instant(), null, null)) : List.of(),
        desk.sessions.views(), Desk.AT_ONCE);
    Fields f = desk.frame("{\"type\":\"inquiries\",\"rid\":\"i\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("inquiries", answer.path("type").asText());
    assertEquals("i", answer.path("rid").asText());
    JsonNode inquiry = answer.path("inquiries").get(0);
    assertEquals(3, inquiry.path("id").asLong(), answer.toString());
    assertEquals("billing", inquiry.path("queue").asText());
    assertEquals("call me", inquiry.path("text").asText());
  }
}
