package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Replay;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Fields;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A customer's {@code resume}: their messages as they wrote them, then {@code resumed}. */
class ResumeAsCustomerTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final CustomerSession hong = desk.customer(7, out);

  @Test
  void resumeReplaysTheCustomersConversationAsTheyWroteIt() {
    var c = desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED);
    ResumeAsCustomer handler = new ResumeAsCustomer((who, id, after) -> CompletableFuture.completedFuture(
        new Replay(c, List.of(new StoredMessage(5, 3, SenderKind.CUSTOMER, 7L, "m", "010-1234-5678",
            desk.time.instant(), null, false)), false)));
    Fields f = desk.frame("{\"type\":\"resume\",\"rid\":\"r\",\"conversation\":5,\"afterSeq\":2}");
    handler.handle(hong, f, desk.rid(f));

    assertEquals(2, out.messages.size(), out.messages.toString());
    assertEquals("010-1234-5678", desk.wire(out.messages.get(0)).path("text").asText(), "not masked for the customer");
    assertEquals("resumed", desk.wire(out.messages.get(1)).path("type").asText());
  }
}
