package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.CenterLoad;
import io.sangdam.routing.CenterNotOwned;
import io.sangdam.routing.Routing;
import io.sangdam.routing.WaitingConversation;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A center taken up and given up on its own, as nodes do when a center's owner dies: against an
 * in-memory store, a recording bus, and routing and timers run inline on a manual clock.
 */
class CenterOwnershipTest {
  private static final long TENANT = 1;
  private static final long SEOUL = 10;
  private static final long BUSAN = 11;
  private static final long KIM = 7;
  private static final long LEE = 8;
  private static final long PARK = 9;
  private static final Duration AGENT_GRACE = Duration.ofMinutes(2);
  private static final Duration CUSTOMER_GRACE = Duration.ofMinutes(1);

  private final Queue loan = new Queue(21, SEOUL, "loan", "대출", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null,
      true);
  /** Overflows to loan after ten minutes: a timer of its own per waiting conversation. */
  private final Queue card = new Queue(20, SEOUL, "card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0, false, loan.id(),
      600, true);
  private final Queue busan = new Queue(30, BUSAN, "card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null,
      true);
  private final Map<Long, Queue> queues = Map.of(card.id(), card, loan.id(), loan, busan.id(), busan);
  private final ManualTime time = new ManualTime(Instant.parse("2026-01-05T01:00:00Z"));
  private final Executor inline = Runnable::run;
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final HeldMessageLog messages = new HeldMessageLog();
  private final RecordedEvents events = new RecordedEvents();
  private final Routing routing = new Routing(id -> Optional.ofNullable(queues.get(id)), id -> AGENT_GRACE, inline,
      time, time, (center, agent, status, reason, at) -> { });
  private final LiveConversations live = new LiveConversations();
  private final ConversationLookup lookup = new ConversationLookup(live, store, inline);
  private final Transcript transcript = new Transcript(live, messages, events, time);
  private final Closing closing = new Closing(live, store, messages, routing, events, lookup, inline, time);
  private final Inactivity inactivity = new Inactivity(live, transcript, closing, events,
      id -> new Timeouts(CUSTOMER_GRACE, Duration.ofMinutes(10), Duration.ofMinutes(5)), time, inline);
  private final Requeue requeue = new Requeue(live, store, routing, transcript, inactivity, events, lookup,
      Handoffs.ALONE, inline, time);
  private final Assignments assignments = new Assignments(live, store, routing, requeue, inactivity, events,
      id -> Optional.ofNullable(queues.get(id)), inline, time);
  private final ConversationStart starting = new ConversationStart(live, store, transcript, routing, events, inline,
      time);
  /** The agents at work on this node, by center, as the sessions know them. */
  private final Map<Long, List<AgentProfile>> atWork = new HashMap<>();
  private final CenterOwnership centers = new CenterOwnership(live, store, transcript, routing, assignments, inactivity,
      centerId -> atWork.getOrDefault(centerId, List.of()).forEach(routing::agentAvailable), inline);

  CenterOwnershipTest() {
    events.subscribe(inactivity);
    centers.recover();
  }

  private void online(long agentId, Queue queue) {
    AgentProfile agent = new AgentProfile(agentId, queue.centerId(), Set.of(queue.id()), 3);
    atWork.computeIfAbsent(queue.centerId(), c -> new ArrayList<>()).add(agent);
    routing.agentAvailable(agent);
  }

  /** A conversation of a customer of its own in {@code queue}, whose session is connected. */
  private Conversation started(Queue queue, long customerId) {
    Conversation c = starting.start(TENANT, queue, customerId, "고객" + customerId, Optional.empty(), 0, x -> { })
        .join();
    inactivity.customerConnected(customerId);
    return c;
  }

  /** An open conversation as another node left it in the database. */
  private Conversation stored(long id, Queue queue, Long agentId, int priority, Duration startedAgo) {
    Instant now = time.instant();
    Conversation c = new Conversation(id, TENANT, queue.centerId(), queue.id(), 500 + id, "고객" + id, agentId,
        agentId == null ? ConversationState.WAITING : ConversationState.ASSIGNED, priority, now.minus(startedAgo),
        now, agentId == null ? null : now, 3, agentId != null, "web");
    store.conversations.put(id, c);
    return c;
  }

  private List<Long> waitingIn(long centerId, Queue... lines) {
    Set<Long> ids = new HashSet<>();
    for (Queue q : lines) {
      ids.add(q.id());
    }
    return routing.waiting(centerId, ids).join().stream().map(WaitingConversation::conversationId).toList();
  }

  private Set<Long> liveIn(long centerId) {
    return live.ofCenter(centerId).stream().map(Conversation::id).collect(Collectors.toSet());
  }

  private List<ConversationEvent> eventsOf(Set<Long> conversations) {
    return events.published.stream().filter(e -> conversations.contains(e.conversationId())).toList();
  }

  @Test
  void anotherNodesConversationToldEndedIsNoLongerListedAsOpenWhateverTheOrderItsEventsCameIn() {
    ConversationMirror mirror = new ConversationMirror(live);
    Conversation c = stored(62, card, null, 0, Duration.ZERO);
    mirror.learned(c);
    assertEquals(List.of(c.id()), live.openForCustomer(c.customerId()).stream().map(Conversation::id).toList());

    // Its end notice's event, carrying the ended conversation, told after the end itself.
    mirror.learned(c.withState(ConversationState.ABANDONED));
    assertEquals(List.of(), live.openForCustomer(c.customerId()));
    assertTrue(live.centerOf(c.id()).isEmpty());

    // An event from before the end, told after it, brings no copy back.
    mirror.learned(c.withState(ConversationState.ASSIGNED));
    assertEquals(List.of(), live.openForCustomer(c.customerId()));
  }

  @Test
  void aSendRefusedJustBeforeItsConversationBecameLiveHereIsToldToSendAgainNotThatItIsGone() {
    // Another node's start, forwarded here, is committed; the customer's send came before it was live here.
    Conversation c = stored(60, card, null, 0, Duration.ZERO);
    live.put(c);

    assertEquals(ErrorCode.UNAVAILABLE, lookup.refusal(Participant.customer(c.customerId()), c.id()).code());
    assertEquals(ErrorCode.NOT_FOUND, lookup.refusal(Participant.customer(c.customerId() + 1), c.id()).code(),
        "to anyone else it does not exist");
    assertEquals(ErrorCode.NOT_FOUND, lookup.refusal(Participant.agent(KIM), c.id()).code(),
        "an agent it is not assigned to is not told it is there");
  }

  @Test
  void adoptingACenterLinesUpItsWaitingCustomersInOrderAndGivesItsAgentsTheirLoadBack() {
    stored(101, card, KIM, 0, Duration.ofMinutes(30));
    stored(102, card, KIM, 0, Duration.ofMinutes(20));
    stored(103, card, null, 0, Duration.ofMinutes(1));
    stored(104, card, null, 5, Duration.ofSeconds(30));
    stored(105, card, null, 0, Duration.ofMinutes(5));
    stored(106, busan, null, 9, Duration.ofHours(1));

    centers.adopt(SEOUL).join();

    assertEquals(List.of(104L, 105L, 103L), waitingIn(SEOUL, card), "priority first, then who started first");
    Map<Long, Integer> told = events.of(ConversationEvent.Queued.class).stream()
        .collect(Collectors.toMap(ConversationEvent.Queued::conversationId, ConversationEvent.Queued::position));
    assertEquals(Map.of(104L, 1, 105L, 2, 103L, 3), told, "each customer is told their place as they join");
    assertEquals(Set.of(101L, 102L, 103L, 104L, 105L), liveIn(SEOUL));
    assertEquals(Set.of(), liveIn(BUSAN), "another center's conversation stays with its owner");
    assertEquals(List.of(new CenterLoad.AgentLoad(KIM, "OFFLINE", null, 2, time.instant())),
        routing.load(SEOUL).join().agents());

    online(KIM, card);

    assertEquals(List.of(104L), events.of(ConversationEvent.Assigned.class).stream()
        .map(ConversationEvent::conversationId).toList(), "kim carries two of three already: one more, the first");
    assertEquals(List.of(105L, 103L), waitingIn(SEOUL, card));
  }

  /**
   * A hand-over whose giving node died before this owner took it up leaves the conversation open in the
   * database under a center held here, and nothing else would load it: the sweep takes it up, once it has
   * found it so twice in a row, and leaves alone what is held here or arrives between two sweeps.
   */
  @Test
  void theSweepTakesUpWhatTheDatabaseHasOpenInAHeldCenterAndThisNodeDoesNotHold() {
    stored(901, card, null, 0, Duration.ofMinutes(3));
    centers.adopt(SEOUL).join();
    Conversation held = started(card, 700);
    stored(902, card, null, 0, Duration.ofMinutes(1));
    online(KIM, card);
    assertEquals(Set.of(901L, held.id()), Set.copyOf(live.openForAgent(KIM).stream().map(Conversation::id)
        .toList()), "kim has what was held");

    centers.sweep(SEOUL, id -> true).join();
    assertEquals(Set.of(901L, held.id()), liveIn(SEOUL), "found unheld once: it may be on its way in");
    centers.sweep(SEOUL, id -> true).join();

    assertEquals(Set.of(901L, 902L, held.id()), liveIn(SEOUL), "found unheld twice: taken up");
    assertEquals(Set.of(901L, 902L, held.id()), Set.copyOf(live.openForAgent(KIM).stream().map(Conversation::id)
        .toList()), "and routed: kim has room for a third");
    centers.sweep(SEOUL, id -> true).join();
    assertEquals(Set.of(901L, 902L, held.id()), liveIn(SEOUL), "taken up once");
    assertEquals(List.of(), waitingIn(SEOUL, card));
  }

  /**
   * An assignment stored just as its center is given up: the next owner loads the conversation assigned
   * and tells nobody, so this node still tells the agent, from its copy.
   */
  @Test
  void anAssignmentStoredAsTheCenterIsGivenUpIsStillTold() {
    Conversation c = started(card, 700);
    events.clear();
    store.afterAssigned = () -> centers.release(SEOUL);

    online(KIM, card);

    assertEquals(Set.of(), liveIn(SEOUL), "given up");
    List<ConversationEvent.Assigned> told = events.of(ConversationEvent.Assigned.class);
    assertEquals(1, told.size(), "the agent is told: " + events.kinds());
    assertEquals(c.id(), told.get(0).conversationId());
    assertEquals(KIM, told.get(0).conversation().agentId());
  }

  @Test
  void anAgentNotAtWorkHereLosesTheAdoptedConversationsAfterTheGraceOneAtWorkKeepsThem() {
    stored(101, card, KIM, 0, Duration.ofMinutes(30));
    online(LEE, loan);
    stored(102, loan, LEE, 0, Duration.ofMinutes(20));
    routing.drop(SEOUL).join(); // another node owned seoul until now

    centers.adopt(SEOUL).join();
    time.advance(AGENT_GRACE);
    messages.commitAll();

    assertEquals(ConversationState.WAITING, live.get(101).orElseThrow().state(), "kim never came: it waits again");
    assertEquals(LEE, live.get(102).orElseThrow().agentId(), "lee is at work on this node: told again, kept");
  }

  @Test
  void aCenterGivenUpAndTakenBackIsAsItWas() {
    online(KIM, card);
    online(PARK, busan);
    for (long customer = 51; customer <= 55; customer++) {
      started(card, customer);
    }
    Conversation inBusan = started(busan, 60);
    Map<Long, Conversation> seoulBefore = live.ofCenter(SEOUL).stream()
        .collect(Collectors.toMap(Conversation::id, c -> c));
    List<Long> waitingBefore = waitingIn(SEOUL, card, loan);
    CenterLoad loadBefore = routing.load(SEOUL).join();
    assertEquals(2, waitingBefore.size(), "kim has room for three of the five");

    centers.release(SEOUL).join();

    assertEquals(Set.of(), liveIn(SEOUL));
    assertEquals(CenterLoad.empty(SEOUL), routing.load(SEOUL).join());
    assertEquals(Set.of(inBusan.id()), liveIn(BUSAN));

    centers.adopt(SEOUL).join();

    assertEquals(seoulBefore, live.ofCenter(SEOUL).stream().collect(Collectors.toMap(Conversation::id, c -> c)));
    assertEquals(waitingBefore, waitingIn(SEOUL, card, loan));
    CenterLoad loadAfter = routing.load(SEOUL).join();
    assertEquals(Set.copyOf(loadBefore.queues()), Set.copyOf(loadAfter.queues()));
    assertEquals(Set.copyOf(loadBefore.agents()), Set.copyOf(loadAfter.agents()));

    online(LEE, card);
    assertEquals(waitingBefore.get(0), events.of(ConversationEvent.Assigned.class).stream()
        .filter(a -> a.conversation().agentId() == LEE).findFirst().orElseThrow().conversationId(),
        "the first in line goes first");
  }

  /**
   * A message committed under this node's fence just as the center went to another node is stored:
   * its sender is answered and the participants told, from this node's copy of the conversation.
   */
  @Test
  void aMessageCommittedAsTheCenterIsGivenUpIsStillToldNotAnInternalError() {
    Conversation c = started(card, 53);
    CompletableFuture<StoredMessage> appended = transcript.appendIfOpen(c.id(), x -> true,
        new NewMessage(c.id(), SenderKind.CUSTOMER, 53L, "c-1", "여보세요", time.instant()));

    centers.release(SEOUL).join();
    events.clear();
    messages.commitAll();
    Conversation told = appended.thenCompose(m -> transcript.stored(m, 0)).join();

    assertEquals(1, told.lastSeq());
    assertEquals(List.of(c.id()), events.of(ConversationEvent.MessageStored.class).stream()
        .map(ConversationEvent::conversationId).toList());
  }

  @Test
  void aCenterGivenUpRoutesNothingFiresNoTimerAndPublishesNothingWhileOthersGoOn() {
    online(KIM, card);
    Conversation kims = started(card, 51);
    routing.agentUnavailable(SEOUL, KIM, false, null); // kim's grace period runs
    Conversation waiting = started(card, 52);
    inactivity.customerDisconnected(52); // the customer's abandon clock runs, as does the line's overflow
    Conversation inBusan = started(busan, 60);
    Set<Long> seoul = Set.of(kims.id(), waiting.id());
    Map<Long, Conversation> storedBefore = Map.copyOf(store.conversations);

    centers.release(SEOUL).join();
    events.clear();

    online(LEE, card);
    routing.offer(waiting.inLine(null));
    CompletionException refused = assertThrows(CompletionException.class,
        () -> routing.pick(new AgentProfile(LEE, SEOUL, Set.of(card.id()), 3), waiting.id()).join());
    assertInstanceOf(CenterNotOwned.class, refused.getCause());
    time.advance(Duration.ofHours(1));
    messages.commitAll();

    assertEquals(List.of(), eventsOf(seoul), "nothing of seoul is decided or said here any more");
    assertEquals(storedBefore, Map.copyOf(store.conversations), "nor written");
    assertEquals(Set.of(), liveIn(SEOUL));

    online(PARK, busan);
    assertEquals(List.of(inBusan.id()), events.of(ConversationEvent.Assigned.class).stream()
        .map(ConversationEvent::conversationId).toList(), "busan is routed as before");
    assertTrue(liveIn(BUSAN).contains(inBusan.id()));
  }
  @Test
  void aTransferIntoACenterAnotherNodeHoldsIsGivenUpHereAndTakenUpThereWithItsNoteAndText() {
    List<Handoffs.Handoff> handedOver = new ArrayList<>();
    Handoffs seoulHere = new Handoffs() {
      @Override
      public boolean heldHere(long centerId) {
        return centerId == SEOUL;
      }

      @Override
      public void handOver(Handoff handoff) {
        handedOver.add(handoff);
      }
    };
    Requeue requeue = new Requeue(live, store, routing, transcript, inactivity, events, lookup, seoulHere, inline,
        time);
    Handover handover = new Handover(live, store, routing, requeue, transcript, inactivity, events, lookup, inline,
        time);
    online(KIM, card);
    online(PARK, busan);
    Conversation c = started(card, 51);
    messages.commitAll();

    handover.toQueue(KIM, c.id(), busan, Optional.of("대출 상담"), 0).join();
    messages.commitAll();

    assertEquals(List.of(new Handoffs.Handoff(c.id(), BUSAN, "대출 상담", Notice.transferredToQueue())),
        handedOver);
    assertTrue(live.get(c.id()).isEmpty(), "given up here");
    assertEquals(OptionalLong.of(BUSAN), live.centerOf(c.id()), "a copy stays for this node's sessions");
    assertEquals(ConversationState.WAITING, store.conversations.get(c.id()).state());
    assertEquals(BUSAN, store.conversations.get(c.id()).centerId());
    assertEquals(ErrorCode.UNAVAILABLE, lookup.refusal(Participant.customer(51), c.id()).code(),
        "between two nodes the customer is told to send again, not that the conversation is gone");
    assertTrue(events.of(ConversationEvent.Assigned.class).stream()
        .noneMatch(a -> a.conversation().centerId() == BUSAN), "busan's routing here was never offered it, though park is free");
    assertTrue(events.of(ConversationEvent.MessageStored.class).stream().noneMatch(m -> m.conversationId() == c.id()
        && Notice.transferredToQueue().equals(m.message().notice())), "only busan's owner may write its messages");

    // Busan's owner (played by the same chat: the live state no longer has it) takes it up.
    CompletableFuture<Void> taken = centers.adoptConversation(handedOver.get(0));
    messages.commitAll();
    taken.join();

    List<ConversationEvent> after = eventsOf(Set.of(c.id())).stream()
        .filter(e -> e instanceof ConversationEvent.MessageStored || e instanceof ConversationEvent.Assigned).toList();
    ConversationEvent.MessageStored said = assertInstanceOf(ConversationEvent.MessageStored.class,
        after.get(after.size() - 2), "the customer is told before anyone takes over");
    assertEquals(Notice.transferredToQueue(), said.message().notice());
    assertEquals("상담을 담당 창구로 연결해 드리겠습니다. 잠시만 기다려 주세요.", said.message().body());
    ConversationEvent.Assigned toPark = assertInstanceOf(ConversationEvent.Assigned.class, after.get(after.size() - 1));
    assertEquals(PARK, toPark.conversation().agentId());
    assertEquals("대출 상담", toPark.note());
  }
}
