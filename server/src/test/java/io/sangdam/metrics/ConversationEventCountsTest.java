package io.sangdam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConversationEventCountsTest {
  private final Conversation c = new Conversation(1, 1, 1, 1, 1, "고객", null, ConversationState.WAITING, 0,
      Instant.EPOCH, Instant.EPOCH, null, 0, false, "web");

  @Test
  void countsEachEventUnderItsType() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ConversationEventCounts counts = new ConversationEventCounts(meters, () -> 0);

    counts.on(new ConversationEvent.Started(c));
    counts.on(new ConversationEvent.WaitingRemoved(1, 1, 1));
    counts.on(new ConversationEvent.WaitingRemoved(2, 1, 1));

    assertEquals(1, meters.get("sangdam.conversation.events").tag("type", "started").counter().count());
    assertEquals(2, meters.get("sangdam.conversation.events").tag("type", "waiting_removed").counter().count());
  }

  @Test
  void showsTheBacklogOfUndeliveredEvents() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int[] backlog = {3};
    new ConversationEventCounts(meters, () -> backlog[0]);

    assertEquals(3, meters.get("sangdam.conversation.events.backlog").gauge().value());
    backlog[0] = 0;
    assertEquals(0, meters.get("sangdam.conversation.events.backlog").gauge().value());
  }
}
