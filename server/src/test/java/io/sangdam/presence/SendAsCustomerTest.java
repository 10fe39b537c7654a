package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Participant;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A customer's {@code send}: as the customer, from this session, acknowledged with the seq. */
class SendAsCustomerTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final CustomerSession hong = desk.customer(7, out);
  private final List<String> chat = new ArrayList<>();

  @Test
  void sendIsAcknowledgedWithTheSeq() {
    SendAsCustomer handler = new SendAsCustomer((sender, conversation, cmid, text, button, origin) -> {
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
  void aButtonIsPassedOnAndABlankOneIsNone() {
    SendAsCustomer handler = new SendAsCustomer((sender, conversation, cmid, text, button, origin) -> {
      chat.add(text + " " + button);
      return CompletableFuture.completedFuture(new StoredMessage(conversation, 9, SenderKind.CUSTOMER, sender.id(),
          cmid, text, desk.time.instant(), null, false));
    });
    Fields clicked = desk.frame("{\"type\":\"send\",\"conversation\":5,\"cmid\":\"a\",\"text\":\"주문 조회\","
        + "\"button\":\"order\"}");
    handler.handle(hong, clicked, desk.rid(clicked));
    Fields blank = desk.frame("{\"type\":\"send\",\"conversation\":5,\"cmid\":\"b\",\"text\":\"네\",\"button\":\" \"}");
    handler.handle(hong, blank, desk.rid(blank));
    Fields typed = desk.frame("{\"type\":\"send\",\"conversation\":5,\"cmid\":\"c\",\"text\":\"안녕\"}");
    handler.handle(hong, typed, desk.rid(typed));

    assertEquals(List.of("주문 조회 order", "네 null", "안녕 null"), chat);
  }
}
