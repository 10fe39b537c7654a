package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ConversationMirrorTest {
  private static final Instant AT = Instant.parse("2026-12-02T03:00:00Z");
  private final LiveConversations live = new LiveConversations();
  private final ConversationMirror mirror = new ConversationMirror(live);

  private static Conversation conversation(long id, long center, Long agent, ConversationState state, long seq) {
    return new Conversation(id, 3, center, 7, 9, "고객", agent, state, 0, AT, AT, agent == null ? null : AT, seq,
        false, "web");
  }

  @Test
  void anotherNodesConversationIsKeptAsItsEventsSayUntilItEnds() {
    mirror.on(new ConversationEvent.Started(conversation(10, 1, null, ConversationState.WAITING, 1)));
    assertEquals(OptionalLong.of(1), live.centerOf(10));

    Conversation assigned = conversation(10, 1, 4L, ConversationState.ASSIGNED, 1);
    mirror.on(new ConversationEvent.Assigned(assigned, null));
    assertEquals(List.of(assigned), live.openForAgent(4));
    assertTrue(live.openFor(Participant.agent(4), 10).isPresent(), "the agent may type in it here");

    Conversation closed = conversation(10, 1, 4L, ConversationState.CLOSED, 2);
    mirror.on(new ConversationEvent.Closed(closed, "agent", 0));
    mirror.on(new ConversationEvent.Rated(closed, 5, null));
    assertEquals(OptionalLong.empty(), live.centerOf(10), "a rating after the end does not bring it back");
  }

  @Test
  void aConversationOwnedHereIsLeftToThisNodesChat() {
    Conversation own = conversation(20, 2, 4L, ConversationState.ASSIGNED, 3);
    live.put(own);

    mirror.on(new ConversationEvent.Held(conversation(20, 2, 4L, ConversationState.HOLD, 2), true, 0));
    mirror.on(new ConversationEvent.Closed(conversation(20, 2, 4L, ConversationState.CLOSED, 2), "agent", 0));

    assertEquals(List.of(own), live.openForAgent(4), "a stale event of the former owner changes nothing");
    assertEquals(List.of(), live.ownedForCustomer(8), "copies are never chat's own");
  }

  @Test
  void aCopyGivesWayToTheDatabasesStateWhenThisNodeTakesTheCenterUpAndComesBackWhenItGivesItUp() {
    mirror.on(new ConversationEvent.Assigned(conversation(30, 1, 4L, ConversationState.ASSIGNED, 5), null));
    assertEquals(List.of(), live.ownedForCustomer(9), "a copy is not this node's to act on");

    Conversation fromDatabase = conversation(30, 1, 4L, ConversationState.ASSIGNED, 6);
    live.putIfAbsent(fromDatabase);
    assertEquals(List.of(fromDatabase), live.ownedForCustomer(9));
    assertEquals(List.of(fromDatabase), live.openForAgent(4), "once, not as a copy besides");

    live.giveUp(30);
    assertEquals(List.of(), live.ownedForCustomer(9));
    assertEquals(List.of(fromDatabase), live.openForAgent(4), "still known to this node's sessions");
  }
}
