package io.sangdam.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DashboardUpdatesTest {
  private final Conversation c = new Conversation(1, 1, 1, 1, 1, "고객", null, ConversationState.WAITING, 0,
      Instant.EPOCH, Instant.EPOCH, null, 0, false, "web");
  private final AtomicInteger ticks = new AtomicInteger();
  private final Queue<Runnable> queued = new ArrayDeque<>();
  private final DashboardUpdates updates = new DashboardUpdates(ticks::incrementAndGet, queued::add);

  @Test
  void aChangeOfWhatTheDashboardCountsAsksForOneTickOffTheEventsThread() {
    updates.on(new ConversationEvent.Started(c));

    assertEquals(0, ticks.get(), "the tick runs on the work executor, not on the publisher's thread");
    assertEquals(1, queued.size());
    queued.poll().run();
    assertEquals(1, ticks.get());
  }

  @Test
  void aBurstAsksForOneTickUntilItRuns() {
    updates.on(new ConversationEvent.Started(c));
    updates.on(new ConversationEvent.Assigned(c, null));
    updates.on(new ConversationEvent.Closed(c, "agent", 0));
    assertEquals(1, queued.size());

    queued.poll().run();
    updates.on(new ConversationEvent.WaitingRemoved(1, 1, 1));
    assertEquals(1, queued.size(), "once the tick ran, the next change asks again");
  }

  @Test
  void messagesAndTypingLeaveTheDashboardToItsSecond() {
    updates.on(new ConversationEvent.MessageStored(c, new StoredMessage(1, 1, SenderKind.CUSTOMER, 1L, "m1",
        "안녕하세요", Instant.EPOCH, null, false), 0));
    updates.on(new ConversationEvent.CustomerPresence(c, false));
    updates.on(new ConversationEvent.Queued(c, 1, 30));

    assertEquals(0, queued.size());
  }

  @Test
  void aRefusedTickIsAskedForAgainByTheNextChange() {
    AtomicInteger offers = new AtomicInteger();
    DashboardUpdates busyOnce = new DashboardUpdates(ticks::incrementAndGet, task -> {
      if (offers.incrementAndGet() == 1) {
        throw new RejectedExecutionException("full");
      }
      task.run();
    });
    busyOnce.on(new ConversationEvent.Started(c));
    busyOnce.on(new ConversationEvent.Assigned(c, null));

    assertEquals(1, ticks.get());
  }
}
