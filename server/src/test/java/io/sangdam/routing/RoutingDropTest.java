package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A center given up by this node: its engine stops with its timers, and nothing of it is decided
 * until it is taken again.
 */
class RoutingDropTest {
  private static final long SEOUL = 1;
  private static final long BUSAN = 2;
  private static final Duration GRACE = Duration.ofSeconds(120);
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

  private final Queue card = new Queue(10, SEOUL, "card", "카드",
      RoutingPolicy.LEAST_BUSY, 1, 0, false, 11L, 60, true);
  private final Queue loan = new Queue(11, SEOUL, "loan", "대출",
      RoutingPolicy.LEAST_BUSY, 1, 0, false, null, null, true);
  private final Queue busan = new Queue(20, BUSAN, "card", "카드",
      RoutingPolicy.LEAST_BUSY, 1, 0, false, null, null, true);
  private final Map<Long, Queue> queues = Map.of(card.id(), card, loan.id(), loan,
      busan.id(), busan);
  private final ManualTime time = new ManualTime(T0);
  /** The engines' pool: tasks run when the test says, so some can be left pending. */
  private final ArrayDeque<Runnable> pool = new ArrayDeque<>();
  private final Executor held = pool::add;
  private final List<String> decided = new ArrayList<>();
  private final Routing routing = new Routing(id -> Optional.ofNullable(queues.get(id)), id -> GRACE, held, time,
      time, (center, agent, status, reason, at) -> { });

  RoutingDropTest() {
    routing.start(new RoutingListener() {
      @Override
      public void assign(long centerId, long conversationId, long agentId, boolean picked) {
        decided.add(conversationId + "->" + agentId);
      }

      @Override
      public void positions(List<Position> changed) {
        changed.forEach(p -> decided.add(p.conversationId() + "@" + p.position()));
      }

      @Override
      public void overflow(long conversationId, long targetQueueId) {
        decided.add(conversationId + " overflow");
      }

      @Override
      public void agentGone(long centerId, long agentId, List<Long> conversationIds) {
        decided.add("gone " + agentId);
      }

      @Override
      public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
        decided.add("manual " + conversationId);
      }
    });
  }

  private void runPool() {
    for (int i = 0; i < 10_000 && !pool.isEmpty(); i++) {
      pool.poll().run();
    }
    assertTrue(pool.isEmpty(), "the engines settle");
  }

  private WaitingConversation waiting(long id, Queue q) {
    return new WaitingConversation(id, q.centerId(), q.id(), 0, time.instant(), time.instant(), null);
  }

  private static AgentProfile agent(long id, Queue q) {
    return new AgentProfile(id, q.centerId(), Set.of(q.id()), 1);
  }

  @Test
  void aDroppedCenterCancelsItsTimersRefusesItsWorkAndAnswersWhatWasPending() {
    routing.restoreLoad(SEOUL, 7, card.id(), 100, T0); // kim is away: his grace period runs
    routing.offer(waiting(101, card)); // its overflow falls due in a minute, its position report in a second
    runPool();
    assertTrue(time.hasTaskDueIn(GRACE) && time.hasTaskDueIn(Duration.ofSeconds(60))
        && time.hasTaskDueIn(Duration.ofSeconds(1)));
    decided.clear();
    CompletableFuture<PickResult> pending = routing.pick(agent(8, card), 101);
    CompletableFuture<CenterLoad> load = routing.load(SEOUL);

    CompletableFuture<Void> dropped = routing.drop(SEOUL);
    runPool();

    assertTrue(dropped.isDone());
    assertInstanceOf(CenterNotOwned.class, assertThrows(CompletionException.class, pending::join).getCause(),
        "a pick queued before the drop is refused, not left hanging");
    assertEquals(CenterLoad.empty(SEOUL), load.join(), "the center holds nothing here any more");
    assertFalse(time.hasTaskDueIn(GRACE) || time.hasTaskDueIn(Duration.ofSeconds(60))
        || time.hasTaskDueIn(Duration.ofSeconds(1)), "its timers are cancelled");

    routing.agentAvailable(agent(8, card));
    routing.offer(waiting(102, card));
    routing.restoreLoad(SEOUL, 8, card.id(), 103, T0);
    CompletableFuture<PickResult> refused = routing.pick(agent(8, card), 101);
    runPool();
    time.advance(Duration.ofHours(1));
    runPool();

    assertEquals(List.of(), decided, "nothing of the center is decided any more");
    assertInstanceOf(CenterNotOwned.class, assertThrows(CompletionException.class, refused::join).getCause());
    assertEquals(Set.of(), routing.centers());
  }

  @Test
  void otherCentersGoOnAndATakenCenterStartsAfresh() {
    routing.offer(waiting(201, busan));
    routing.offer(waiting(101, card));
    runPool();
    decided.clear();

    routing.drop(SEOUL);
    routing.agentAvailable(agent(9, busan));
    runPool();
    assertEquals(List.of("201->9"), decided, "busan is routed as before");

    routing.take(SEOUL);
    routing.agentAvailable(agent(8, card));
    runPool();
    assertEquals(List.of("201->9"), decided,
        "seoul's engine is new: the conversation it had waits to be offered again");
    routing.offer(waiting(101, card));
    runPool();
    assertEquals(List.of("201->9", "101->8"), decided);
  }
}
