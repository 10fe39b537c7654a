package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.testing.CapturedLog;
import io.sangdam.testing.Eventually;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bus keeps each conversation's events in publish order, one at a time, and lanes apart. */
class InProcessConversationEventsTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final InProcessConversationEvents events = new InProcessConversationEvents(pool);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** The n-th event of a publisher: a note whose id is n, on the publisher's conversation. */
  private static ConversationEvent numbered(long conversationId, long n) {
    Conversation c = new Conversation(conversationId, 1, 1, 1, 1, "고객", 7L, ConversationState.ASSIGNED, 0,
        Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 0, true, "web");
    return new ConversationEvent.Noted(c, new Note(n, conversationId, 7, "NOTE", null, "", Instant.EPOCH, false), 0);
  }

  @Test
  void eachConversationsEventsArriveInPublishOrderOneAtATimeUnderConcurrentPublishers() throws Exception {
    int publishers = 8;
    int perPublisher = 2_000;
    Map<Long, List<Long>> seen = new ConcurrentHashMap<>();
    Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(publishers * perPublisher);
    events.subscribe(e -> {
      if (!inFlight.add(e.conversationId())) {
        overlaps.add("two events of conversation " + e.conversationId() + " at once");
      }
      seen.computeIfAbsent(e.conversationId(), id -> new ArrayList<>())
          .add(((ConversationEvent.Noted) e).note().id());
      inFlight.remove(e.conversationId());
      all.countDown();
    });
    ExecutorService publishing = Executors.newFixedThreadPool(publishers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (long p = 0; p < publishers; p++) {
        long conversationId = p % 3; // several publishers per conversation: each publisher's own order must hold
        long publisher = p;
        publishing.execute(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (long n = 0; n < perPublisher; n++) {
            events.publish(numbered(conversationId, publisher * 1_000_000 + n));
          }
        });
      }
      go.countDown();
      assertTrue(all.await(20, TimeUnit.SECONDS), "every event delivered");
    } finally {
      publishing.shutdownNow();
    }
    assertEquals(List.of(), overlaps);
    for (List<Long> delivered : seen.values()) {
      Map<Long, Long> lastOfPublisher = new java.util.HashMap<>();
      for (long id : delivered) {
        Long last = lastOfPublisher.put(id / 1_000_000, id);
        assertTrue(last == null || last < id, "publisher " + id / 1_000_000 + "'s events out of order");
      }
    }
    assertEquals(publishers * perPublisher, seen.values().stream().mapToInt(List::size).sum());
  }

  @Test
  void aSubscriberStuckOnOneConversationDoesNotHoldUpAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch otherDelivered = new CountDownLatch(1);
    CountDownLatch firstStuck = new CountDownLatch(1);
    List<Long> firstSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    events.subscribe(e -> {
      if (e.conversationId() == 1) {
        firstSeen.add(((ConversationEvent.Noted) e).note().id());
        firstStuck.countDown();
        try {
          release.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      } else {
        otherDelivered.countDown();
      }
    });
    events.publish(numbered(1, 1));
    events.publish(numbered(1, 2));
    events.publish(numbered(2, 1));
    assertTrue(firstStuck.await(5, TimeUnit.SECONDS), "conversation 1's first event is being delivered");
    assertTrue(otherDelivered.await(5, TimeUnit.SECONDS), "conversation 2 delivered while 1 is stuck");
    assertEquals(List.of(1L), firstSeen, "conversation 1's second event waits for its first");
    release.countDown();
  }

  @Test
  void aFailingSubscriberDoesNotStopTheOthersOrTheLane() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    events.subscribe(e -> {
      throw new IllegalStateException("broken subscriber");
    });
    events.subscribe(e -> both.countDown());
    try (CapturedLog log = CapturedLog.of(InProcessConversationEvents.class)) {
      events.publish(numbered(5, 1));
      events.publish(numbered(5, 2));
      assertTrue(both.await(5, TimeUnit.SECONDS));
      assertEquals(2, log.at(Level.ERROR).size(), "each failure is logged: " + log.at(Level.ERROR));
    }
    assertFalse(pool.isShutdown());
  }

  @Test
  void aPublishCompletesOnceEverySubscriberHadItAndWhatCameBefore() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    events.subscribe(e -> {
      if (((ConversationEvent.Noted) e).note().id() == 1) {
        try {
          release.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      seen.add(((ConversationEvent.Noted) e).note().id());
    });
    CompletableFuture<Void> first = events.publish(numbered(3, 1));
    CompletableFuture<Void> second = events.publish(numbered(3, 2));

    assertFalse(second.isDone(), "the second waits behind the first, which a subscriber holds");
    release.countDown();
    second.get(5, TimeUnit.SECONDS);
    assertTrue(first.isDone());
    assertEquals(List.of(1L, 2L), seen);
    Eventually.eventually("the lane gone once it finds nothing more", () -> events.backlog() == 0);
  }

  @Test
  void aStoppedPoolLetsThePublisherGoOn() throws Exception {
    pool.shutdownNow();
    events.publish(numbered(4, 1)).get(5, TimeUnit.SECONDS);
    assertEquals(0, events.backlog());
  }

  @Test
  void aClosedBusLetsEveryoneWaitingGoAndDeliversNothingMore() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    events.subscribe(e -> {
      seen.add(((ConversationEvent.Noted) e).note().id());
      stuck.countDown();
      try {
        release.await();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    events.publish(numbered(6, 1));
    CompletableFuture<Void> waiting = events.publish(numbered(6, 2));
    assertTrue(stuck.await(5, TimeUnit.SECONDS));

    events.close();

    waiting.get(5, TimeUnit.SECONDS);
    assertTrue(events.publish(numbered(6, 3)).isDone(), "after close, a publish completes at once");
    release.countDown();
    assertEquals(0, events.backlog());
    assertEquals(List.of(1L), seen, "nothing more delivered once closed");
  }
}
