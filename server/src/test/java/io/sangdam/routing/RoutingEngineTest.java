package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's decisions, run on the calling thread with time under the test's control. */
class RoutingEngineTest {
  private static final long CENTER = 1;
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(120);

  private final Map<Long, Queue> queues = new HashMap<>();
  private final ManualTime time = new ManualTime(T0);
  private final List<String> events = new ArrayList<>();
  private final List<Position> positions = new ArrayList<>();
  private final List<String> statusChanges = new ArrayList<>();
  private final RoutingEngine engine = new RoutingEngine(CENTER, Runnable::run,
      id -> Optional.ofNullable(queues.get(id)), new RoutingListener() {
        @Override
        public void assign(long centerId, long conversationId, long agentId, boolean picked) {
          events.add(conversationId + "->" + agentId);
        }

        @Override
        public void positions(List<Position> changed) {
          positions.addAll(changed);
        }

        @Override
        public void overflow(long conversationId, long targetQueueId) {
          events.add(conversationId + " overflow " + targetQueueId);
        }

        @Override
        public void agentGone(long centerId, long agentId, List<Long> conversationIds) {
          events.add("gone " + agentId + " " + conversationIds);
        }

        @Override
        public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
          events.add((added ? "+" : "-") + conversationId);
        }
      }, time, time, () -> GRACE, (center, agent, status, reason, at) -> statusChanges.add(
          agent + " " + status + (reason == null ? "" : " " + reason) + " " + at));

  private Queue queue(long id, RoutingPolicy policy, int maxChats) {
    return queue(id, policy, maxChats, 0, false, null, null);
  }

  private Queue queue(long id, RoutingPolicy policy, int maxChats, int priority, boolean preferPrevious,
      Long overflowTo, Integer overflowAfter) {
    Queue q = new Queue(id, CENTER, "q" + id, "Q" + id, policy, maxChats, priority, preferPrevious, overflowTo,
        overflowAfter, true);
    queues.put(id, q);
    return q;
  }

  private WaitingConversation waiting(long id, Queue q, int secondsAfterT0) {
    return waiting(id, q, secondsAfterT0, null);
  }

  private WaitingConversation waiting(long id, Queue q, int secondsAfterT0, Long preferred) {
    Instant since = T0.plusSeconds(secondsAfterT0);
    return new WaitingConversation(id, CENTER, q.id(), q.priority(), since, time.instant(), preferred);
  }

  private static AgentProfile agent(long id, Integer maxChats, Queue... served) {
    Set<Long> ids = new java.util.HashSet<>();
    for (Queue q : served) {
      ids.add(q.id());
    }
    return new AgentProfile(id, CENTER, ids, maxChats);
  }

  @Test
  void nothingIsAssignedWhileNoAgentIsAvailable() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.offer(waiting(1, card, 0));
    assertEquals(List.of(), events);
    assertEquals(1, engine.waitingCount());
  }

  @Test
  void leastBusyGivesTheChatToTheAgentWithFewestAndTiesToTheLongestIdle() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 3);
    engine.agentAvailable(agent(100, null, card));
    time.advance(Duration.ofSeconds(5));
    engine.agentAvailable(agent(200, null, card));
    engine.offer(waiting(1, card, 0));
    time.advance(Duration.ofSeconds(5));
    engine.offer(waiting(2, card, 1));
    time.advance(Duration.ofSeconds(5));
    engine.offer(waiting(3, card, 2));
    assertEquals(List.of("1->100", "2->200", "3->100"), events);
  }

  @Test
  void roundRobinServesAgentsInTurnSkippingThoseAtCapacity() {
    Queue loan = queue(11, RoutingPolicy.ROUND_ROBIN, 5);
    engine.agentAvailable(agent(100, null, loan));
    engine.agentAvailable(agent(200, null, loan));
    engine.agentAvailable(agent(300, 1, loan));
    for (int i = 1; i <= 6; i++) {
      engine.offer(waiting(i, loan, i));
    }
    assertEquals(List.of("1->100", "2->200", "3->300", "4->100", "5->200", "6->100"), events,
        "300 has room for one only");
  }

  @Test
  void noAgentGoesOverCapacityAndAReleaseLetsTheNextWaitingIn() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.agentAvailable(agent(100, null, card));
    for (int i = 1; i <= 3; i++) {
      engine.offer(waiting(i, card, i));
    }
    assertEquals(List.of("1->100", "2->100"), events);
    engine.released(100, 1, true);
    assertEquals("3->100", events.get(2));
    engine.released(100, 1, true);
    assertEquals(3, events.size(), "a second release of the same chat frees nothing");
  }

  @Test
  void anAgentsOwnCapacityOverridesTheQueueDefault() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.agentAvailable(agent(100, 1, card));
    engine.offer(waiting(1, card, 0));
    engine.offer(waiting(2, card, 1));
    assertEquals(List.of("1->100"), events);
  }

  @Test
  void anAgentServesOnlyTheirQueues() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    Queue loan = queue(11, RoutingPolicy.LEAST_BUSY, 2);
    engine.agentAvailable(agent(100, null, loan));
    engine.offer(waiting(1, card, 0));
    engine.offer(waiting(2, loan, 1));
    assertEquals(List.of("2->100"), events);
  }

  @Test
  void higherPriorityFirstThenEarliestStartAcrossQueues() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 1);
    Queue vip = queue(11, RoutingPolicy.LEAST_BUSY, 1, 5, false, null, null);
    engine.offer(waiting(1, card, 0));
    engine.offer(waiting(2, card, 5));
    engine.offer(waiting(3, vip, 9));
    engine.agentAvailable(agent(100, null, card, vip));
    assertEquals(List.of("3->100"), events);
    engine.released(100, 3, true);
    assertEquals("1->100", events.get(1));
  }

  @Test
  void theCustomersPreviousAgentIsPreferredWhenTheQueueAsksAndTheyHaveRoom() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2, 0, true, null, null);
    engine.agentAvailable(agent(100, null, card));
    engine.agentAvailable(agent(200, null, card));
    engine.offer(waiting(1, card, 0));
    engine.offer(waiting(2, card, 1, 100L));
    assertEquals(List.of("1->100", "2->100"), events, "200 is less busy, but 100 was the customer's agent");
    engine.offer(waiting(3, card, 2, 100L));
    assertEquals("3->200", events.get(2), "100 is full");
  }

  @Test
  void manualQueuesAreNeverPushedAndTheFirstPickWins() {
    Queue vip = queue(12, RoutingPolicy.MANUAL, 3);
    engine.agentAvailable(agent(100, null, vip));
    engine.offer(waiting(1, vip, 0));
    assertEquals(List.of("+1"), events);
    assertEquals(PickResult.ASSIGNED, engine.pick(agent(100, null, vip), 1).join());
    engine.agentAvailable(agent(200, null, vip));
    assertEquals(PickResult.NOT_WAITING, engine.pick(agent(200, null, vip), 1).join());
    assertEquals(List.of("+1", "-1", "1->100"), events);
  }

  @Test
  void aPickNeedsRoomAndMembershipAndAnAgentAtWork() {
    Queue vip = queue(12, RoutingPolicy.MANUAL, 1);
    Queue card = queue(10, RoutingPolicy.MANUAL, 1);
    engine.offer(waiting(1, vip, 0));
    assertEquals(PickResult.OFFLINE, engine.pick(agent(100, null, vip), 1).join());
    engine.agentUnavailable(100, true, null);
    engine.offer(waiting(2, vip, 1));
    engine.offer(waiting(3, card, 2));
    assertEquals(PickResult.NOT_YOURS, engine.pick(agent(100, null, vip), 3).join());
    assertEquals(PickResult.ASSIGNED, engine.pick(agent(100, null, vip), 1).join());
    assertEquals(PickResult.FULL, engine.pick(agent(100, null, vip), 2).join());
    assertEquals(1, engine.load(100));
  }

  @Test
  void eachChangeOfStatusOrAwayReasonIsRecordedOnceWithItsTimeAndTheDashboardShowsTheReason() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 3);
    engine.agentAvailable(agent(100, null, card));
    engine.agentAvailable(agent(100, null, card));
    time.advance(Duration.ofSeconds(30));
    engine.agentUnavailable(100, true, "meal");
    engine.agentUnavailable(100, true, "meal");
    time.advance(Duration.ofSeconds(10));
    engine.agentUnavailable(100, true, "break");
    time.advance(Duration.ofSeconds(5));
    engine.agentUnavailable(100, false, "break");

    assertEquals(List.of("100 ONLINE " + T0, "100 AWAY meal " + T0.plusSeconds(30),
        "100 AWAY break " + T0.plusSeconds(40), "100 OFFLINE " + T0.plusSeconds(45)), statusChanges,
        "a repeated status is no change; OFFLINE carries no reason");
    engine.agentUnavailable(100, true, "training");
    CenterLoad.AgentLoad shown = engine.load().join().agents().get(0);
    assertEquals("AWAY", shown.status());
    assertEquals("training", shown.awayReason());
    assertEquals(T0.plusSeconds(45), shown.since());
  }

  @Test
  void awayStopsNewChatsAndKeepsOpenOnesWhileOfflineReturnsThemAfterTheGracePeriod() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 3);
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(1, card, 0));
    engine.agentUnavailable(100, true, null);
    engine.offer(waiting(2, card, 1));
    time.advance(GRACE.multipliedBy(2));
    assertEquals(List.of("1->100"), events, "away: no new chat, and the open one stays");
    engine.agentUnavailable(100, false, null);
    time.advance(GRACE.minusSeconds(1));
    engine.agentAvailable(agent(100, null, card));
    time.advance(GRACE);
    assertEquals(List.of("1->100", "2->100"), events, "back within the grace period: nothing lost");
    engine.agentUnavailable(100, false, null);
    time.advance(GRACE);
    assertEquals("gone 100 [1, 2]", events.get(2));
    engine.released(100, 1, false);
    engine.released(100, 2, false);
    assertEquals(0, engine.load(100));
  }

  @Test
  void conversationsOfAnAgentGoneCountAgainstTheirRoomUntilTheirRequeuesReleaseThem() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 3);
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(1, card, 0));
    engine.offer(waiting(2, card, 1));
    engine.agentUnavailable(100, false, null);
    time.advance(GRACE);
    assertEquals("gone 100 [1, 2]", events.get(2));
    assertEquals(2, engine.load(100), "still theirs until each requeue is stored");
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(3, card, 2));
    engine.offer(waiting(4, card, 3));
    assertEquals(List.of("1->100", "2->100", "gone 100 [1, 2]", "3->100"), events, "back before the requeues: "
        + "room for one only");
    engine.released(100, 1, false);
    assertEquals("4->100", events.get(4));
    assertEquals(3, engine.load(100));
  }

  @Test
  void restoredLoadCountsTowardCapacityAndStartsTheGracePeriod() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.restoreLoad(100, card.id(), 50, T0);
    engine.restoreLoad(100, card.id(), 51, T0);
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(1, card, 0));
    assertEquals(List.of(), events);
    engine.restoreLoad(200, card.id(), 52, T0);
    time.advance(GRACE);
    assertEquals(List.of("gone 200 [52]"), events, "100 came back, 200 did not");
  }

  @Test
  void aConversationOverflowsAfterWaitingItsQueuesTime() {
    Queue other = queue(11, RoutingPolicy.LEAST_BUSY, 2);
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2, 0, false, other.id(), 60);
    engine.offer(waiting(1, card, 0));
    time.advance(Duration.ofSeconds(59));
    assertEquals(List.of(), events);
    time.advance(Duration.ofSeconds(1));
    assertEquals(List.of("1 overflow 11"), events);
    assertEquals(0, engine.waitingCount());
  }

  @Test
  void anAssignedConversationDoesNotOverflow() {
    Queue other = queue(11, RoutingPolicy.LEAST_BUSY, 2);
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2, 0, false, other.id(), 60);
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(1, card, 0));
    time.advance(Duration.ofSeconds(120));
    assertEquals(List.of("1->100"), events);
  }

  @Test
  void waitingCustomersAreToldTheirPositionAndAnEtaFromHandleTimesAndCapacity() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 1);
    engine.offer(waiting(1, card, 0));
    assertEquals(new Position(1, 1, null), positions.get(0), "nobody serves the queue: the wait is unknown");
    engine.agentAvailable(agent(100, null, card));
    engine.agentAvailable(agent(200, null, card));
    engine.offer(waiting(2, card, 1));
    positions.clear();
    engine.offer(waiting(3, card, 2));
    engine.offer(waiting(4, card, 3));
    assertEquals(List.of(new Position(3, 1, 60), new Position(4, 2, 150)), positions,
        "told at once; two busy agents, 180 s assumed per chat: a place opens every 90 s, and the k-th place "
            + "most likely after k - 1/3 of that");
    positions.clear();
    time.advance(PositionReporter.INTERVAL);
    assertEquals(List.of(), positions, "nothing changed, nothing sent again");

    time.advance(Duration.ofSeconds(179));
    engine.released(100, 1, true);
    time.advance(PositionReporter.INTERVAL);
    assertEquals(List.of(new Position(4, 1, 60)), positions, "3 went to agent 100; 4 moved up; 1 took the assumed 180 s");
    assertEquals(List.of("1->100", "2->200", "3->100"), events);
  }

  @Test
  void measuredHandleTimesMoveTheEstimate() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 1);
    engine.agentAvailable(agent(100, null, card));
    for (int i = 1; i <= 30; i++) {
      engine.offer(waiting(i, card, i));
      time.advance(Duration.ofSeconds(20));
      engine.released(100, i, true);
    }
    engine.offer(waiting(100, card, 100));
    engine.offer(waiting(101, card, 101));
    Position second = positions.get(positions.size() - 1);
    assertEquals(101, second.conversationId());
    assertTrue(second.etaSeconds() >= 13 && second.etaSeconds() <= 20, "next when agent 100's 20-odd s chat (the "
        + "assumed 180 s nearly forgotten) ends, most likely within two thirds of it: " + second);
  }

  @Test
  void anAgentOnABreakIsExpectedBackWhenThisCentersBreaksUsuallyEnd() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 1);
    AgentProfile kim = agent(100, null, card);
    engine.agentAvailable(kim);
    engine.agentUnavailable(100, true, "break");
    time.advance(Duration.ofSeconds(300));
    engine.agentAvailable(kim);

    engine.agentUnavailable(100, true, "break");
    time.advance(Duration.ofSeconds(100));
    engine.offer(waiting(1, card, 400));
    assertEquals(new Position(1, 1, 200), positions.get(positions.size() - 1),
        "breaks here last 300 s; this one began 100 s ago");

    engine.agentUnavailable(100, true, "meeting");
    time.advance(PositionReporter.INTERVAL);
    assertEquals(new Position(1, 1, null), positions.get(positions.size() - 1),
        "nobody here came back from a meeting lately: nobody is counted on");
  }

  @Test
  void aWithdrawnConversationIsNotAssigned() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.offer(waiting(1, card, 0));
    engine.withdraw(1);
    engine.agentAvailable(agent(100, null, card));
    assertEquals(List.of(), events);
  }

  @Test
  void reserveHandsAConversationToAnAvailableAgentWithRoomOnly() {
    Queue card = queue(10, RoutingPolicy.LEAST_BUSY, 1);
    assertEquals(PickResult.NOT_YOURS, engine.reserve(100, card.id(), 7).join());
    engine.agentAvailable(agent(100, null, card));
    assertEquals(PickResult.ASSIGNED, engine.reserve(100, card.id(), 7).join());
    assertEquals(PickResult.FULL, engine.reserve(100, card.id(), 8).join());
    engine.agentUnavailable(100, true, null);
    assertEquals(PickResult.NOT_YOURS, engine.reserve(100, card.id(), 8).join());
  }

  @Test
  void aChangeOfPolicyTakesEffectForWaitingConversations() {
    Queue card = queue(10, RoutingPolicy.MANUAL, 2);
    engine.agentAvailable(agent(100, null, card));
    engine.offer(waiting(1, card, 0));
    assertEquals(List.of("+1"), events);
    queue(10, RoutingPolicy.LEAST_BUSY, 2);
    engine.offer(waiting(2, card, 1));
    assertEquals(List.of("+1", "1->100", "2->100"), events);
    assertNull(queues.get(99));
  }
}
