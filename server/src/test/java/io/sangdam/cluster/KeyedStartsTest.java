package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.ConversationState;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The owner's side of a start asked again: one conversation per key, from memory while the start runs or just
 * ran, from the database on an owner that did not open it, and a first attempt reads nothing.
 */
class KeyedStartsTest {
  private static final Instant AT = Instant.parse("2026-12-02T03:04:05Z");
  private static final Queue QUEUE = new Queue(7, 1, "general", "General", RoutingPolicy.LEAST_BUSY, 3, 0, false,
      null, null, true);

  /** Conversations by tenant and start key, as the database keeps them for every owner. */
  private final Map<String, Conversation> database = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(100);
  private final AtomicLong nanos = new AtomicLong();

  /** One owner's chat: opens into {@link #database}; {@code hold}, when set, holds the announcement back. */
  private final class Owner implements KeyedStarts.Opening {
    final List<String> opened = new ArrayList<>();
    final List<String> lookedUp = new ArrayList<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final KeyedStarts starts = new KeyedStarts(this, nanos::get, meters);
    CompletableFuture<Void> hold = CompletableFuture.completedFuture(null);
    RuntimeException failure;

    @Override
    public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
        Optional<FirstMessage> text, long originSession, String startKey, Consumer<Conversation> announce) {
      opened.add(startKey);
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      Conversation c = new Conversation(ids.incrementAndGet(), tenantId, queue.centerId(), queue.id(), customerId,
          customerName, null, ConversationState.WAITING, 0, AT, AT, null, 0, false, null);
      if (startKey != null) {
        database.put(tenantId + "/" + startKey, c);
      }
      return hold.thenApply(v -> {
        announce.accept(c);
        return c;
      });
    }

    @Override
    public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
      lookedUp.add(startKey);
      return CompletableFuture.completedFuture(Optional.ofNullable(database.get(tenantId + "/" + startKey)));
    }

    double repeated(String found) {
      return meters.get("sangdam.cluster.starts.repeated").tag("found", found).counter().count();
    }
  }

  private static ForwardedCalls.StartArgs start(String key, boolean repeated) {
    return new ForwardedCalls.StartArgs(3, QUEUE.id(), 9, "고객", null, null, 5, key, repeated);
  }

  @Test
  void aRepeatWhileTheFirstIsStillOpeningAnswersTheSameConversation() {
    Owner owner = new Owner();
    CompletableFuture<Void> commitSlowly = new CompletableFuture<>();
    owner.hold = commitSlowly;

    CompletableFuture<Conversation> first = owner.starts.start(start("k1", false), QUEUE);
    CompletableFuture<Conversation> again = owner.starts.start(start("k1", true), QUEUE);
    assertFalse(first.isDone());
    commitSlowly.complete(null);

    assertEquals(first.join(), again.join());
    assertEquals(List.of("k1"), owner.opened, "opened once");
    assertEquals(List.of(), owner.lookedUp, "the repeat was answered from memory");
    assertEquals(1.0, owner.repeated("memory"));
  }

  @Test
  void aRepeatAfterTheFirstFinishedAnswersItFromMemory() {
    Owner owner = new Owner();
    Conversation first = owner.starts.start(start("k2", false), QUEUE).join();

    assertEquals(first, owner.starts.start(start("k2", true), QUEUE).join());
    assertEquals(List.of("k2"), owner.opened);
    assertEquals(List.of(), owner.lookedUp);
  }

  @Test
  void aFirstAttemptReadsNothing() {
    Owner owner = new Owner();
    owner.starts.start(start("k3", false), QUEUE).join();
    owner.starts.start(start("k4", false), QUEUE).join();

    assertEquals(List.of("k3", "k4"), owner.opened, "a key each, a conversation each");
    assertEquals(List.of(), owner.lookedUp, "no read of the database on a first attempt");
  }

  @Test
  void aRepeatOnAnotherOwnerFindsTheConversationInTheDatabase() {
    Owner died = new Owner();
    Conversation committed = died.starts.start(start("k5", false), QUEUE).join();
    Owner next = new Owner();

    assertEquals(committed, next.starts.start(start("k5", true), QUEUE).join());
    assertEquals(List.of(), next.opened, "the next owner opened nothing");
    assertEquals(List.of("k5"), next.lookedUp);
    assertEquals(1.0, next.repeated("database"));

    assertSame(next.starts.start(start("k5", true), QUEUE).join(), next.starts.start(start("k5", true), QUEUE).join());
    assertEquals(List.of("k5"), next.lookedUp, "read once, then remembered");
  }

  @Test
  void aRepeatWhoseFirstAttemptOpenedNothingOpensOne() {
    Owner owner = new Owner();

    Conversation c = owner.starts.start(start("k6", true), QUEUE).join();

    assertEquals(List.of("k6"), owner.lookedUp);
    assertEquals(List.of("k6"), owner.opened);
    assertEquals(c, database.get("3/k6"));
    assertEquals(1.0, owner.repeated("none"));
  }

  @Test
  void aFailedStartIsForgottenSoTheNextRepeatLooksAgain() {
    Owner owner = new Owner();
    owner.failure = new SangdamException(ErrorCode.UNAVAILABLE, "the database is unavailable; try again");
    assertTrue(owner.starts.start(start("k7", false), QUEUE).isCompletedExceptionally());

    owner.failure = null;
    Conversation c = owner.starts.start(start("k7", true), QUEUE).join();

    assertEquals(List.of("k7", "k7"), owner.opened);
    assertEquals(List.of("k7"), owner.lookedUp);
    assertEquals(c, database.get("3/k7"));
  }

  @Test
  void aKeyIsRememberedForAWhileThenLookedUpInTheDatabase() {
    Owner owner = new Owner();
    Conversation first = owner.starts.start(start("k8", false), QUEUE).join();
    nanos.addAndGet(KeyedStarts.REMEMBERED.plusSeconds(1).toNanos());

    assertEquals(first, owner.starts.start(start("k8", true), QUEUE).join());
    assertEquals(List.of("k8"), owner.opened);
    assertEquals(List.of("k8"), owner.lookedUp, "forgotten in memory, found in the database");
  }

  @Test
  void aStartWithoutAKeyFromAnEarlierVersionOpensEachTime() {
    Owner owner = new Owner();

    Conversation one = owner.starts.start(start(null, false), QUEUE).join();
    Conversation two = owner.starts.start(start(null, false), QUEUE).join();

    assertFalse(one.equals(two));
    assertEquals(2, owner.opened.size());
    assertEquals(List.of(), owner.lookedUp);
  }
}
