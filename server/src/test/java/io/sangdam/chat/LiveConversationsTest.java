package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A customer's conversations, found by the customer without reading every open one: as they come, move and go. */
class LiveConversationsTest {
  private static final Instant AT = Instant.parse("2026-12-03T03:00:00Z");
  private final LiveConversations live = new LiveConversations();

  private static Conversation conversation(long id, long customer, int minutes) {
    return new Conversation(id, 3, 1, 7, customer, "고객", null, ConversationState.WAITING, 0,
        AT.plusSeconds(60L * minutes), AT, null, 0, false, "web");
  }

  @Test
  void aCustomersConversationsComeOldestFirstAndLeaveWhenTheyEnd() {
    Conversation later = conversation(11, 9, 5);
    Conversation earlier = conversation(12, 9, 1);
    Conversation someoneElses = conversation(13, 8, 0);
    live.put(later);
    live.putIfAbsent(earlier);
    live.put(someoneElses);
    assertEquals(List.of(earlier, later), live.ownedForCustomer(9));
    assertEquals(List.of(earlier, later), live.openForCustomer(9));
    assertEquals(List.of(someoneElses), live.ownedForCustomer(8));
    assertEquals(List.of(), live.ownedForCustomer(7), "a customer with none");

    Conversation assigned = later.assignedTo(4, AT);
    live.update(11, c -> assigned);
    assertEquals(List.of(earlier, assigned), live.ownedForCustomer(9), "as it is now");

    live.remove(12);
    assertEquals(List.of(assigned), live.ownedForCustomer(9));
    live.remove(11);
    assertEquals(List.of(), live.openForCustomer(9));
    assertEquals(List.of(someoneElses), live.openForCustomer(8), "another customer's stays");
  }

  @Test
  void anotherNodesCopyCountsForTheCustomerButIsNotThisNodesOwn() {
    Conversation copy = conversation(21, 9, 2);
    live.keepCopy(copy);
    assertEquals(List.of(copy), live.openForCustomer(9));
    assertEquals(List.of(), live.ownedForCustomer(9));

    Conversation taken = conversation(21, 9, 2).assignedTo(4, AT);
    live.put(taken);
    assertEquals(List.of(taken), live.ownedForCustomer(9), "taken up here: this node's own, once");
    assertEquals(List.of(taken), live.openForCustomer(9));

    live.giveUp(21);
    assertEquals(List.of(), live.ownedForCustomer(9));
    assertEquals(List.of(taken), live.openForCustomer(9), "a copy again");

    live.dropCopy(21);
    assertEquals(List.of(), live.openForCustomer(9));
  }

  @Test
  void aConversationPutAgainForAnotherCustomerIsOnlyTheirs() {
    live.put(conversation(31, 9, 0));
    Conversation relinked = conversation(31, 8, 0);
    live.put(relinked);
    assertEquals(List.of(), live.openForCustomer(9));
    assertEquals(List.of(relinked), live.openForCustomer(8));
  }
}
