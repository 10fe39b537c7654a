package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.canned.CannedResponse;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Participant;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An agent's {@code send}: text as written, or a canned response filled on the server; answered with {@code ack}. */
class SendAsAgentTest {
  private final Desk desk = new Desk();
  private final InMemoryCannedStore cannedRows = new InMemoryCannedStore();
  private final List<String> sent = new ArrayList<>();
  private final SendAsAgent handler = new SendAsAgent(new CannedResponses(cannedRows), desk.directory,
      (who, id) -> who.equals(Participant.agent(desk.kim.id())) && id == 5
          ? Optional.of(desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED)) : Optional.empty(),
      (sender, conversation, cmid, text, button, origin) -> {
        sent.add(sender.kind() + " " + conversation + " " + cmid + " " + text);
        return CompletableFuture.completedFuture(new StoredMessage(conversation, 4, SenderKind.AGENT, sender.id(),
            cmid, text, desk.time.instant(), null, false));
      }, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void textIsSentAsWrittenAndAcknowledgedWithItsSeq() {
    Fields f = desk.frame("{\"type\":\"send\",\"rid\":1,\"conversation\":5,\"cmid\":\"c1\",\"text\":\"hello\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("AGENT 5 c1 hello"), sent);
    JsonNode ack = desk.only(out);
    assertEquals("ack", ack.path("type").asText());
    assertEquals(1, ack.path("rid").asInt());
    assertEquals(4, ack.path("seq").asLong());
    assertEquals("c1", ack.path("cmid").asText());
  }

  @Test
  void aShortcutIsFilledWithTheCustomerAgentAndCenter() {
    cannedRows.put(new CannedResponse(70, 1, 10L, null, "Greeting", "hi",
        "Hello {customer.name}, {agent.name} of {center.name} here", true));
    Fields f = desk.frame("{\"type\":\"send\",\"rid\":2,\"conversation\":5,\"cmid\":\"c2\",\"shortcut\":\"hi\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    assertEquals(List.of("AGENT 5 c2 Hello Hong, Kim of Seoul here"), sent);
    assertEquals("ack", desk.only(out).path("type").asText());
  }

  @Test
  void anUnknownShortcutIsNotFoundAndNothingIsSent() {
    Fields f = desk.frame("{\"type\":\"send\",\"rid\":3,\"conversation\":5,\"cmid\":\"c3\",\"shortcut\":\"nope\"}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    desk.assertError(out, "not_found", "3");
    assertEquals(List.of(), sent);
  }

  @Test
  void aTenantAdminHasNoCannedResponses() {
    Fields f = desk.frame("{\"type\":\"send\",\"conversation\":5,\"cmid\":\"c4\",\"canned\":70}");
    SangdamException refused = assertThrows(SangdamException.class,
        () -> handler.handle(desk.agent(desk.park, out), f, null));
    assertEquals(ErrorCode.FORBIDDEN, refused.code());
  }
}
