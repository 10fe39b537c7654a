package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code typing} and {@code read}: relayed to the other side of an open conversation; typing at most once a second. */
class RelayTest {
  private final Desk desk = new Desk();
  private final AtomicLong nanos = new AtomicLong();
  private final Relay relay = new Relay((who, id) -> id == 5 && who.belongsTo(
      desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED))
          ? Optional.of(desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED)) : Optional.empty(),
      desk.sessions, nanos::get);
  private final InMemoryOutbound toAgent = new InMemoryOutbound();
  private final InMemoryOutbound toCustomer = new InMemoryOutbound();
  private final AgentSession kim = desk.agent(desk.kim, toAgent);
  private final CustomerSession hong = desk.customer(7, toCustomer);

  RelayTest() {
    desk.sessions.addAgent(desk.kim.id(), kim, () -> { });
    desk.sessions.addCustomer(7, hong);
  }

  @Test
  void typingReachesTheAgentAtMostOnceASecond() {
    Fields typing = desk.frame("{\"type\":\"typing\",\"conversation\":5}");
    relay.handle(hong, typing, null);
    nanos.addAndGet(999_000_000L);
    relay.handle(hong, typing, null);
    assertEquals(1, toAgent.messages.size());
    nanos.addAndGet(1_000_000L);
    relay.handle(hong, typing, null);

    assertEquals(2, toAgent.messages.size());
    JsonNode told = desk.wire(toAgent.messages.get(0));
    assertEquals("typing", told.path("type").asText());
    assertEquals("customer", told.path("from").asText());
    assertEquals(0, toCustomer.messages.size());
  }

  @Test
  void readReachesTheCustomerUpToTheLastSeq() {
    Fields read = desk.frame("{\"type\":\"read\",\"conversation\":5,\"seq\":3}");
    relay.handle(kim, read, null);

    JsonNode told = desk.only(toCustomer);
    assertEquals("read", told.path("type").asText());
    assertEquals("agent", told.path("by").asText());
    assertEquals(3, told.path("seq").asLong());

    Fields ahead = desk.frame("{\"type\":\"read\",\"conversation\":5,\"seq\":4}");
    assertEquals(ErrorCode.INVALID_FIELD, assertThrows(SangdamException.class,
        () -> relay.handle(kim, ahead, null)).code());
  }

  @Test
  void notInAConversationOfTheSender() {
    Fields other = desk.frame("{\"type\":\"typing\",\"conversation\":6}");
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(SangdamException.class,
        () -> relay.handle(hong, other, null)).code());
  }
}
