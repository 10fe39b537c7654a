package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Participant;
import io.sangdam.chat.Replay;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The widget's one-call frames: {@code send}, {@code resume}, {@code rate} and {@code leave}, each as the customer. */
class CustomerFramesTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final CustomerSession hong = desk.customer(7, out);
  private final List<String> chat = new ArrayList<>();

  @Test
  void sendIsAcknowledgedWithTheSeq() {
    SendAsCustomer handler = new SendAsCustomer((sender, conversation, cmid, text, origin) -> {
      chat.add(sender + " " + conversation + " " + text + " from " + origin);
      return CompletableFuture.completedFuture(new StoredMessage(conversation, 9, SenderKind.CUSTOMER, sender.id(),
          cmid, text, desk.time.instant(), null, false));
    });
    Fields f = desk.frame("{\"type\":\"send\",\"rid\":1,\"conversation\":5,\"cmid\":\"c\",\"text\":\"hi\"}");
    handler.handle(hong, f, desk.rid(f));

    assertEquals(List.of(Participant.customer(7) + " 5 hi from " + hong.id()), chat);
    JsonNode ack = desk.only(out);
    assertEquals("ack", ack.path("type").asText());
    assertEquals(9, ack.path("seq").asLong());
    assertEquals(1, ack.path("rid").asInt());
  }

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

  @Test
  void rateTakesAScoreAndABlankCommentIsNone() {
    RateConversation handler = new RateConversation((customer, conversation, score, comment) -> {
      chat.add(customer + " " + conversation + " " + score + " " + comment);
      return CompletableFuture.completedFuture(null);
    });
    Fields f = desk.frame("{\"type\":\"rate\",\"rid\":2,\"conversation\":5,\"score\":4,\"comment\":\" \"}");
    handler.handle(hong, f, desk.rid(f));

    assertEquals(List.of("7 5 4 " + Optional.empty()), chat);
    assertEquals("rated", desk.only(out).path("type").asText());
  }

  @Test
  void leavingAChatThatHadAnAgentInvitesToRate() {
    LeaveConversation handler = new LeaveConversation((customer, conversation, origin) ->
        CompletableFuture.completedFuture(conversation == 5 ? "customer" : "abandoned"));
    Fields had = desk.frame("{\"type\":\"leave\",\"rid\":3,\"conversation\":5}");
    Fields waited = desk.frame("{\"type\":\"leave\",\"rid\":4,\"conversation\":6}");
    handler.handle(hong, had, desk.rid(had));
    handler.handle(hong, waited, desk.rid(waited));

    JsonNode first = desk.wire(out.messages.get(0));
    assertEquals("closed", first.path("type").asText());
    assertEquals(true, first.path("rate").asBoolean());
    JsonNode second = desk.wire(out.messages.get(1));
    assertEquals("abandoned", second.path("reason").asText());
    assertEquals(false, second.has("rate"));
  }
}
