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
  /** Center 1 is another node's; center 2 is this node's. */
  private final ConversationMirror mirror = new ConversationMirror(live, center -> center == 2);

  private static Conversation conversation(long id, long center, Long agent, ConversationState state, long seq) {
    return new Conversation(id, 3, center, 7, 9, "고객", agent, state, 0, AT, AT, agent == null ? null : AT, seq,
        false);
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
  void aConversationOfACenterOwnedHereIsLeftToThisNodesChat() {
    Conversation own = conversation(20, 2, 4L, ConversationState.ASSIGNED, 3);
    live.put(own);

    mirror.on(new ConversationEvent.Held(conversation(20, 2, 4L, ConversationState.HOLD, 2), true, 0));
    mirror.on(new ConversationEvent.Closed(conversation(20, 2, 4L, ConversationState.CLOSED, 2), "agent", 0));

    assertEquals(List.of(own), live.openForAgent(4), "a stale event of the former owner changes nothing");
  }
}
