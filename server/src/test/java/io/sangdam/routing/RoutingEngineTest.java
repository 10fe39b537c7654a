package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's decisions, run on the calling thread with a controlled clock. */
class RoutingEngineTest {
  private static final long CENTER = 1;
  private static final Queue CARD = new Queue(10, CENTER, "card", "카드", RoutingPolicy.LEAST_BUSY, 2, null, null);
  private static final Queue LOAN = new Queue(11, CENTER, "loan", "대출", RoutingPolicy.LEAST_BUSY, 1, null, null);
  private static final Queue MANUAL = new Queue(12, CENTER, "vip", "VIP", RoutingPolicy.MANUAL, 3, null, null);
  private static final Map<Long, Queue> QUEUES = Map.of(10L, CARD, 11L, LOAN, 12L, MANUAL);
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

  private record Decision(long conversation, long agent) {}

  private final List<Decision> decisions = new ArrayList<>();
  private Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final RoutingEngine engine = new RoutingEngine(Runnable::run, id -> Optional.ofNullable(QUEUES.get(id)),
      (conversation, agent) -> decisions.add(new Decision(conversation, agent)), new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return clock.instant();
        }
      });

  private void advance(Duration d) {
    clock = Clock.offset(clock, d);
  }

  private static WaitingConversation waiting(long id, Queue q, int priority, int secondsAfterT0) {
    return new WaitingConversation(id, CENTER, q.id(), priority, T0.plusSeconds(secondsAfterT0));
  }

  private static AgentProfile agent(long id, Integer maxChats, Queue... queues) {
    Set<Long> ids = new java.util.HashSet<>();
    for (Queue q : queues) {
      ids.add(q.id());
    }
    return new AgentProfile(id, CENTER, ids, maxChats);
  }

  @Test
  void nothingIsAssignedWhileNoAgentIsAvailable() {
    engine.offer(waiting(1, CARD, 0, 0));
    assertEquals(List.of(), decisions);
    assertEquals(1, engine.waitingCount());
  }

  @Test
  void theLeastBusyAgentGetsTheChatAndTiesGoToTheLongestIdle() {
    engine.agentAvailable(agent(100, null, CARD));
    advance(Duration.ofSeconds(5));
    engine.agentAvailable(agent(200, null, CARD));
    engine.offer(waiting(1, CARD, 0, 0));
    assertEquals(new Decision(1, 100), decisions.get(0));
    advance(Duration.ofSeconds(5));
    engine.offer(waiting(2, CARD, 0, 1));
    assertEquals(new Decision(2, 200), decisions.get(1));
    advance(Duration.ofSeconds(5));
    engine.offer(waiting(3, CARD, 0, 2));
    assertEquals(new Decision(3, 100), decisions.get(2), "both carry one chat; 100 was assigned longer ago");
  }

  @Test
  void noAgentGoesOverCapacityAndAReleaseLetsTheNextWaitingIn() {
    engine.agentAvailable(agent(100, null, CARD));
    for (int i = 1; i <= 3; i++) {
      engine.offer(waiting(i, CARD, 0, i));
    }
    assertEquals(List.of(new Decision(1, 100), new Decision(2, 100)), decisions);
    assertEquals(1, engine.waitingCount());
    engine.released(100, 1);
    assertEquals(new Decision(3, 100), decisions.get(2));
    engine.released(100, 1);
    assertEquals(3, decisions.size(), "a second release of the same chat frees nothing");
  }

  @Test
  void anAgentsOwnCapacityOverridesTheQueueDefault() {
    engine.agentAvailable(agent(100, 1, CARD));
    engine.offer(waiting(1, CARD, 0, 0));
    engine.offer(waiting(2, CARD, 0, 1));
    assertEquals(List.of(new Decision(1, 100)), decisions);
  }

  @Test
  void loadRestoredAtStartCountsTowardCapacity() {
    engine.restoreLoad(100, 50);
    engine.restoreLoad(100, 51);
    engine.agentAvailable(agent(100, null, CARD));
    engine.offer(waiting(1, CARD, 0, 0));
    assertEquals(List.of(), decisions);
    assertEquals(2, engine.load(100));
  }

  @Test
  void anAgentServesOnlyTheirQueues() {
    engine.agentAvailable(agent(100, null, LOAN));
    engine.offer(waiting(1, CARD, 0, 0));
    engine.offer(waiting(2, LOAN, 0, 1));
    assertEquals(List.of(new Decision(2, 100)), decisions);
  }

  @Test
  void higherPriorityFirstThenEarliestStart() {
    engine.offer(waiting(1, LOAN, 0, 0));
    engine.offer(waiting(2, LOAN, 0, 5));
    engine.offer(waiting(3, LOAN, 1, 9));
    engine.agentAvailable(agent(100, null, LOAN));
    assertEquals(List.of(new Decision(3, 100)), decisions);
    engine.released(100, 3);
    assertEquals(new Decision(1, 100), decisions.get(1));
  }

  @Test
  void manualQueuesAreNeverPushed() {
    engine.agentAvailable(agent(100, null, MANUAL));
    engine.offer(waiting(1, MANUAL, 0, 0));
    assertEquals(List.of(), decisions);
  }

  @Test
  void anUnavailableAgentGetsNothingAndAChatIsNeverGivenTwice() {
    engine.agentAvailable(agent(100, null, CARD));
    engine.agentUnavailable(100);
    engine.offer(waiting(1, CARD, 0, 0));
    engine.offer(waiting(1, CARD, 0, 0));
    assertEquals(List.of(), decisions);
    engine.agentAvailable(agent(100, null, CARD));
    engine.agentAvailable(agent(200, null, CARD));
    assertEquals(List.of(new Decision(1, 100)), decisions);
  }

  @Test
  void aWithdrawnConversationIsNotAssigned() {
    engine.offer(waiting(1, CARD, 0, 0));
    engine.withdraw(1);
    engine.agentAvailable(agent(100, null, CARD));
    assertEquals(List.of(), decisions);
  }
}
