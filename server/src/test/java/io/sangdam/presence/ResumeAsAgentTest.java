package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Replay;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An agent's {@code resume}: as a participant, or, while a watch covers it, as a supervisor. */
class ResumeAsAgentTest {
  private final Desk desk = new Desk();
  private final Conversation c = desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED);
  private final List<String> read = new ArrayList<>();
  private final ResumeAsAgent handler = new ResumeAsAgent(desk.sessions, id -> CompletableFuture.completedFuture(c),
      (who, id, after) -> {
        read.add("as " + who.kind() + " after " + after);
        return who.belongsTo(c) ? CompletableFuture.completedFuture(page(after))
            : CompletableFuture.failedFuture(SangdamException.notFound("conversation " + id));
      },
      (id, after) -> {
        read.add("as supervisor after " + after);
        return CompletableFuture.completedFuture(page(after));
      });
  private final InMemoryOutbound out = new InMemoryOutbound();

  /** The messages after {@code after}, up to the conversation's last (3), in one page. */
  private Replay page(long after) {
    List<StoredMessage> messages = new ArrayList<>();
    for (long seq = after + 1; seq <= c.lastSeq(); seq++) {
      messages.add(new StoredMessage(5, seq, SenderKind.CUSTOMER, 7L, "m" + seq, "text " + seq, desk.time.instant(),
          null, false));
    }
    return new Replay(c, messages, false);
  }

  @Test
  void theAgentOfTheConversationReadsItsMessagesThenResumed() {
    Fields f = desk.frame("{\"type\":\"resume\",\"rid\":\"r\",\"conversation\":5,\"afterSeq\":1}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("as AGENT after 1"), read);
    assertEquals(3, out.messages.size(), out.messages.toString());
    assertEquals(2, desk.wire(out.messages.get(0)).path("seq").asLong());
    assertEquals(3, desk.wire(out.messages.get(1)).path("seq").asLong());
    JsonNode resumed = desk.wire(out.messages.get(2));
    assertEquals("resumed", resumed.path("type").asText());
    assertEquals("r", resumed.path("rid").asText());
  }

  @Test
  void aWatcherReadsAsSupervisor() {
    AgentSession lee = desk.agent(desk.lee, out);
    desk.sessions.watch(c, lee);
    Fields f = desk.frame("{\"type\":\"resume\",\"rid\":\"r\",\"conversation\":5,\"afterSeq\":0}");
    handler.handle(lee, f, desk.rid(f));

    assertEquals(List.of("as supervisor after 0"), read);
    assertEquals(4, out.messages.size(), out.messages.toString());
  }

  @Test
  void withoutAWatchAManagerReadsOnlyAsParticipant() {
    Fields f = desk.frame("{\"type\":\"resume\",\"rid\":\"r\",\"conversation\":5,\"afterSeq\":0}");
    handler.handle(desk.agent(desk.lee, out), f, desk.rid(f));

    assertEquals(List.of("as AGENT after 0"), read);
    desk.assertError(out, ErrorCode.NOT_FOUND.wire(), "r");
  }
}
