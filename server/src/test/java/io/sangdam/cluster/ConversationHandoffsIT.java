package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sangdam.chat.Handoffs;
import io.sangdam.chat.Notice;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.NatsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-overs between two nodes over a real nats-server: node "a" moved a conversation into a center,
 * node "b" takes it up once it holds that center, however late that is.
 */
class ConversationHandoffsIT {
  @TempDir
  static Path dir;
  private static NatsServer nats;
  private static Connection connA;
  private static Connection connB;
  private static ScheduledExecutorService timers;
  private static final Map<Long, String> owners = new ConcurrentHashMap<>();
  private static final Set<Long> heldByB = ConcurrentHashMap.newKeySet();
  /** How often each center's owner was looked up (by a), and b was asked whether it holds it. */
  private static final Map<Long, AtomicInteger> ownerLookups = new ConcurrentHashMap<>();
  private static final Map<Long, AtomicInteger> askedOfB = new ConcurrentHashMap<>();
  private static final List<Handoffs.Handoff> takenUpByB = new CopyOnWriteArrayList<>();
  private static ConversationHandoffs a;
  private static ConversationHandoffs b;

  @BeforeAll
  static void startNodes() throws Exception {
    nats = NatsServer.start(dir.resolve("nats"));
    connA = Nats.connect(nats.url());
    connB = Nats.connect(nats.url());
    timers = Executors.newSingleThreadScheduledExecutor();
    ForwardedCalls.CenterOwners ownerTable = new ForwardedCalls.CenterOwners() {
      @Override
      public Optional<String> ownerOf(long centerId) {
        count(ownerLookups, centerId);
        return Optional.ofNullable(owners.get(centerId));
      }

      @Override
      public void forget(long centerId) {
      }
    };
    a = new ConversationHandoffs(connA, "a", ownerTable, center -> false,
        id -> CompletableFuture.completedFuture(0L), timers);
    b = new ConversationHandoffs(connB, "b", ownerTable, center -> {
      count(askedOfB, center);
      return heldByB.contains(center);
    },
        id -> CompletableFuture.completedFuture(0L), timers);
    a.start(h -> CompletableFuture.failedFuture(new AssertionError("a holds no center")));
    b.start(h -> {
      takenUpByB.add(h);
      return CompletableFuture.completedFuture(null);
    });
    connA.flush(Duration.ofSeconds(5));
    connB.flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopNodes() throws Exception {
    a.close();
    b.close();
    timers.shutdownNow();
    connA.close();
    connB.close();
    nats.close();
  }

  private static int count(Map<Long, AtomicInteger> counts, long centerId) {
    return counts.computeIfAbsent(centerId, c -> new AtomicInteger()).incrementAndGet();
  }

  private static int counted(Map<Long, AtomicInteger> counts, long centerId) {
    return counts.getOrDefault(centerId, new AtomicInteger()).get();
  }

  private static List<Handoffs.Handoff> takenUp(long conversationId) {
    return takenUpByB.stream().filter(h -> h.conversationId() == conversationId).toList();
  }

  @Test
  void theOwnerTakesTheConversationUpWithItsNoteAndNotice() {
    owners.put(1L, "b");
    heldByB.add(1L);
    Handoffs.Handoff handoff = new Handoffs.Handoff(101, 1, "대출 상담",
        new Notice("conversation.transferredToAgent", Map.of("agent", "김상담")));

    a.handOver(handoff);

    Eventually.eventually("b took 101 up", () -> !takenUp(101).isEmpty());
    assertEquals(List.of(handoff), takenUp(101), "once, as it was handed over");
  }

  @Test
  void aCenterWithoutOwnerThenOwnedButNotYetTakenUpGetsTheConversationOnceItIsHeld() {
    Handoffs.Handoff handoff = new Handoffs.Handoff(102, 2, null, null);

    a.handOver(handoff);
    Eventually.eventually("a tried while nobody owned center 2", () -> counted(ownerLookups, 2) >= 2);
    owners.put(2L, "b");
    Eventually.eventually("a asked b twice while b was still taking center 2 up", () -> counted(askedOfB, 2) >= 2);
    assertEquals(List.of(), takenUp(102), "not taken up before b holds the center");
    heldByB.add(2L);

    Eventually.eventually("b took 102 up", () -> !takenUp(102).isEmpty());
    assertEquals(List.of(handoff), takenUp(102));
  }
}
