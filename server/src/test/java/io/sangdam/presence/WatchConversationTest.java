package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.audit.AuditEntry;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code watch} and {@code unwatch}: a supervisor in scope, each audited, answered {@code watching} or {@code unwatched}. */
class WatchConversationTest {
  private final SupervisionDesk s = new SupervisionDesk();
  private final Desk desk = s.desk;
  private final WatchConversation handler = new WatchConversation(s.supervision, desk.sessions);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void aManagerWatchesAndUnwatchesAConversationOfTheirCenter() {
    AgentSession lee = desk.agent(desk.lee, out);
    Fields watch = desk.frame("{\"type\":\"watch\",\"rid\":1,\"conversation\":5}");
    handler.handle(lee, watch, desk.rid(watch));

    JsonNode watching = desk.only(out);
    assertEquals("watching", watching.path("type").asText(), watching.toString());
    assertEquals(5, watching.path("conversation").path("id").asLong());
    assertEquals(1, watching.path("rid").asInt());
    assertTrue(desk.sessions.watching(5, lee));
    AuditEntry entry = s.audit.entries.get(0);
    assertEquals("supervision.watch", entry.action());
    assertEquals("conversation 5", entry.target());
    assertEquals("203.0.113.7", entry.remoteAddress());
    assertEquals(1, s.access.records.size(), "a supervisor's watch is a read of the customer's data");
    AccessRecord read = s.access.records.get(0);
    assertEquals("watch", read.action());
    assertEquals("conversation 5", read.object());
    assertEquals(List.of(s.open.customerId()), read.subjects());
    assertEquals(desk.lee.id(), read.actorId());
    assertEquals("203.0.113.7", read.address());

    out.messages.clear();
    Fields unwatch = desk.frame("{\"type\":\"unwatch\",\"rid\":2,\"conversation\":5}");
    handler.handle(lee, unwatch, desk.rid(unwatch));
    assertEquals("unwatched", desk.only(out).path("type").asText());
    assertFalse(desk.sessions.watching(5, lee));
    assertEquals("supervision.unwatch", s.audit.entries.get(1).action());
    assertEquals(1, s.access.records.size(), "an unwatch reads nothing");
  }

  @Test
  void aClosedConversationIsNotWatched() {
    Fields watch = desk.frame("{\"type\":\"watch\",\"rid\":1,\"conversation\":6}");
    handler.handle(desk.agent(desk.lee, out), watch, desk.rid(watch));
    desk.assertError(out, "conversation_closed", "1");
    assertEquals(0, s.audit.entries.size(), "nothing done, nothing audited");
    assertEquals(0, s.access.records.size(), "nothing read, nothing recorded");
  }

  @Test
  void anAgentDoesNotSupervise() {
    Fields watch = desk.frame("{\"type\":\"watch\",\"conversation\":5}");
    SangdamException refused = assertThrows(SangdamException.class,
        () -> handler.handle(desk.agent(desk.kim, out), watch, null));
    assertEquals(ErrorCode.FORBIDDEN, refused.code());
  }
}
