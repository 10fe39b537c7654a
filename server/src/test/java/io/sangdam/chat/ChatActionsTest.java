package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.Routing;
import io.sangdam.testing.CapturedLog;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
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
 * The chat actions against an in-memory store, a message log whose commits the test makes, a bus
 * that records, and routing and timers run inline on a manual clock: no database, no threads.
 */
class ChatActionsTest {
  private static final long TENANT = 1;
  private static final long CENTER = 10;
  private static final long AGENT = 7;
  private static final long OTHER_AGENT = 8;
  private static final long CUSTOMER = 50;
  private static final Duration GRACE = Duration.ofMinutes(1);
  private static final Duration IDLE_WARNING = Duration.ofMinutes(10);
  private static final Duration IDLE_CLOSE = Duration.ofMinutes(5);

  private final Queue card = new Queue(20, CENTER, "card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null,
      true);
  private final Queue loan = new Queue(21, CENTER, "loan", "대출", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null,
      true);
  private final Queue vip = new Queue(22, CENTER, "vip", "VIP", RoutingPolicy.LEAST_BUSY, 3, 0, true, null, null,
      true);
  private final Map<Long, Queue> queues = Map.of(card.id(), card, loan.id(), loan, vip.id(), vip);
  private final ManualTime time = new ManualTime(Instant.parse("2026-01-05T01:00:00Z"));
  private final Executor inline = Runnable::run;
  private final InMemoryChatStore store = new InMemoryChatStore();
  private final HeldMessageLog messages = new HeldMessageLog();
  private final RecordedEvents events = new RecordedEvents();
  private final Routing routing = new Routing(id -> Optional.ofNullable(queues.get(id)), id -> Duration.ofMinutes(2),
      inline, time, time, (center, agent, status, reason, at) -> { });
  private final LiveConversations live = new LiveConversations();
  private final ConversationLookup lookup = new ConversationLookup(live, store, inline);
  private final Transcript transcript = new Transcript(live, messages, events, time);
  private final Closing closing = new Closing(live, store, messages, routing, events, lookup, inline, time);
  private final Inactivity inactivity = new Inactivity(live, transcript, closing, events,
      id -> new Timeouts(GRACE, IDLE_WARNING, IDLE_CLOSE), time, inline);
  private final Sending sending = new Sending(transcript, inactivity, store, lookup, inline, time);
  private final Requeue requeue = new Requeue(live, store, routing, transcript, inactivity, events, lookup,
      Handoffs.ALONE, inline, time);
  private final Assignments assignments = new Assignments(live, store, routing, requeue, inactivity, events,
      id -> Optional.ofNullable(queues.get(id)), inline, time);
  private final Handover handover = new Handover(live, store, routing, requeue, transcript, inactivity, events,
      lookup, inline, time);
  private final ConversationStart starting = new ConversationStart(live, store, transcript, routing, events, inline,
      time);

  ChatActionsTest() {
    events.subscribe(inactivity);
    new CenterOwnership(live, store, transcript, routing, assignments, inactivity, centerId -> { }, inline).recover();
  }

  private void online(long agentId, Queue queue) {
    routing.agentAvailable(new AgentProfile(agentId, CENTER, Set.of(queue.id()), 3));
  }

  /** A conversation of the customer in {@code queue}; the customer's session is connected. */
  private Conversation started(Queue queue) {
    Conversation c = starting.start(TENANT, queue, CUSTOMER, "홍길동", Optional.empty(), 0, x -> { }).join();
    inactivity.customerConnected(CUSTOMER);
    return c;
  }

  /** A conversation the agent has, with nothing published yet. */
  private Conversation assignedTo(long agentId) {
    online(agentId, card);
    Conversation c = started(card);
    assertTrue(live.openFor(Participant.agent(agentId), c.id()).isPresent(), "assigned to " + agentId);
    events.clear();
    return c;
  }

  @Test
  void aMessageNotYetCommittedPublishesNothingAndOneCommittedIsPublishedOnce() {
    Conversation c = assignedTo(AGENT);

    CompletableFuture<StoredMessage> ack = sending.send(Participant.customer(CUSTOMER), c.id(), "c1", "안녕하세요", 42);

    assertEquals(1, messages.waiting());
    assertFalse(ack.isDone(), "no ack before the commit");
    assertEquals(List.of(), events.published, "nothing shown before it is durable");

    messages.commitAll();

    assertEquals(1, ack.join().seq());
    assertEquals(List.of("MessageStored"), events.kinds());
    ConversationEvent.MessageStored stored = events.of(ConversationEvent.MessageStored.class).get(0);
    assertEquals(42, stored.originSession(), "the sender's own session is answered directly, not told");
    assertEquals(1, stored.conversation().lastSeq());
    assertEquals(1, live.openFor(Participant.customer(CUSTOMER), c.id()).orElseThrow().lastSeq());
  }

  @Test
  void theAskingSessionIsAnsweredOnlyOnceItsEventReachedTheOthers() {
    Conversation c = assignedTo(AGENT);
    events.holdDeliveries();

    CompletableFuture<StoredMessage> ack = sending.send(Participant.agent(AGENT), c.id(), "a1", "확인했습니다", 3);
    messages.commitAll();
    assertFalse(ack.isDone(), "the ack waits for the push of its message, so it never overtakes an earlier push");
    CompletableFuture<String> closed = closing.close(AGENT, c.id(), null, List.of(), 3);
    messages.commitAll();
    assertFalse(closed.isDone(), "the answer to a close waits for closed to reach the other side");
    assertEquals(List.of("MessageStored", "Closed"), events.kinds());

    events.deliverHeld();

    assertEquals(1, ack.join().seq());
    assertEquals("agent", closed.join());
  }

  @Test
  void aCloseWaitsForTheMessagesAcceptedBeforeItAndIsPublishedAfterThem() {
    Conversation c = assignedTo(AGENT);
    sending.send(Participant.agent(AGENT), c.id(), "a1", "확인했습니다", 3);

    CompletableFuture<String> closed = closing.close(AGENT, c.id(), null, List.of(), 3);

    assertFalse(closed.isDone());
    assertEquals(List.of(), events.published);
    CompletionException tooLate = assertThrows(CompletionException.class,
        () -> sending.send(Participant.customer(CUSTOMER), c.id(), "c2", "too late", 0).join(),
        "nothing more is accepted once the end began");
    SangdamException refusal = (SangdamException) tooLate.getCause();
    assertEquals(ErrorCode.UNAVAILABLE, refusal.code(), "not closed yet: the end may still fail");
    assertEquals("conversation " + c.id() + " is being closed; try again in a moment", refusal.getMessage(),
        "not taken for one being opened elsewhere");

    messages.commitAll();

    assertEquals("agent", closed.join());
    assertEquals(List.of("MessageStored", "Closed"), events.kinds());
    assertEquals(ConversationState.CLOSED, store.conversations.get(c.id()).state());
    CompletionException again = assertThrows(CompletionException.class,
        () -> sending.send(Participant.customer(CUSTOMER), c.id(), "c2", "too late", 0).join());
    assertEquals(ErrorCode.CONVERSATION_CLOSED, ((SangdamException) again.getCause()).code(), "sent again once ended");
    assertEquals(List.of(), live.openForAgent(AGENT));
  }

  @Test
  void aStartIsAnnouncedBeforeItIsPublishedAndRoutedToAnAgent() {
    online(AGENT, card);
    List<String> order = new ArrayList<>();
    events.subscribe(e -> order.add(e.getClass().getSimpleName()));

    Conversation c = starting.start(TENANT, card, CUSTOMER, "홍길동", Optional.empty(), 0,
        x -> order.add("announced")).join();

    assertEquals(List.of("announced", "Started", "Assigned"), order.stream()
        .filter(k -> !k.equals("Queued")).toList());
    assertEquals(AGENT, events.of(ConversationEvent.Assigned.class).get(0).conversation().agentId());
    assertEquals(c.id(), events.of(ConversationEvent.Started.class).get(0).conversationId());
  }

  /**
   * The opening message is committed with the conversation; if the conversation moves to another node before
   * this one learns the message, the start still answers with seq 1 committed (the customer's session must not
   * believe its conversation empty): whether this node keeps a copy of it (its center given up) or none.
   */
  @Test
  void aStartWhoseConversationMovedAwayAnswersWithItsCommittedOpeningMessage() {
    // Its previous agent is asked for once it is live: it leaves this node then.
    store.whenPreviousAgentAsked = () -> live.ofCenter(CENTER).forEach(x -> live.giveUp(x.id()));
    Conversation copied = starting.start(TENANT, vip, CUSTOMER, "홍길동", Optional.of(new FirstMessage("안녕하세요",
        "c1")), 0, x -> { }).join();
    assertEquals(1, copied.lastSeq(), "message 1 is committed with the conversation");

    store.whenPreviousAgentAsked = () -> live.ofCenter(CENTER).forEach(x -> live.remove(x.id()));
    Conversation gone = starting.start(TENANT, vip, CUSTOMER + 1, "김철수", Optional.of(new FirstMessage("문의요",
        "c2")), 0, x -> { }).join();
    assertEquals(1, gone.lastSeq(), "message 1 is committed with the conversation, though nothing is published");
  }

  @Test
  void anAssignmentThatCannotBePersistedIsNotPublishedAndTheConversationWaitsAgain() {
    store.assignFailure = new IllegalStateException("database unreachable");

    Conversation c;
    try (CapturedLog log = CapturedLog.of(Assignments.class)) {
      online(AGENT, card);
      c = started(card);
      assertEquals(List.of("could not assign conversation " + c.id() + " to agent " + AGENT + "; it waits again"),
          log.at(Level.WARN));
    }

    // Routing offered it again at once, and the second assignment was persisted: only that one is published.
    List<ConversationEvent.Assigned> assigned = events.of(ConversationEvent.Assigned.class);
    assertEquals(1, assigned.size());
    assertEquals(c.id(), assigned.get(0).conversationId());
    assertTrue(store.conversations.get(c.id()).isAssignedTo(AGENT));
  }

  @Test
  void aTransferToAQueueLeavesItsNoteForTheNextAgentAlone() {
    Conversation c = assignedTo(AGENT);
    online(OTHER_AGENT, loan);

    CompletableFuture<Void> transferred = handover.toQueue(AGENT, c.id(), loan, Optional.of("VIP 고객"), 9);
    messages.commitAll(); // the customer's system message; routing waits for it

    transferred.join();
    assertEquals(List.of("Moved", "Transferred", "MessageStored", "Assigned"), events.kinds().stream()
        .filter(k -> !k.equals("Queued")).toList());
    ConversationEvent.Transferred away = events.of(ConversationEvent.Transferred.class).get(0);
    assertEquals(AGENT, away.fromAgentId());
    assertEquals(9, away.originSession());
    ConversationEvent.Assigned next = events.of(ConversationEvent.Assigned.class).get(0);
    assertEquals(OTHER_AGENT, next.conversation().agentId());
    assertEquals("VIP 고객", next.note());
    assertEquals(null, live.takeTransferNote(c.id()), "the note went to that agent only");
  }

  @Test
  void aHoldIsPublishedOnceStoredAndTheCustomerIsToldByASystemMessage() {
    Conversation c = assignedTo(AGENT);

    handover.hold(AGENT, c.id(), true, 5).join();

    assertEquals(ConversationState.HOLD, live.openForAgent(AGENT).get(0).state());
    assertEquals(List.of("Held"), events.kinds());
    assertEquals(5, events.of(ConversationEvent.Held.class).get(0).originSession());
    messages.commitAll();
    ConversationEvent.MessageStored said = events.of(ConversationEvent.MessageStored.class).get(0);
    assertEquals(SenderKind.SYSTEM, said.message().senderKind());
    assertEquals(Notice.held(true), said.message().notice());
    assertEquals(Notice.held(true).text(), said.message().body());
  }

  /**
   * With many nodes a customer is away only when no node has a session of theirs: another node saying
   * so keeps them present (also told twice, as a new owner's question may make it), and a node that left
   * the cluster (died) counts for nobody, so what nobody answered is abandoned after the grace.
   */
  @Test
  void aCustomerConnectedToAnotherNodeIsPresentUntilThatNodeLeaves() {
    Conversation c = started(card);
    inactivity.customerElsewhere(CUSTOMER, "node-b", true);
    inactivity.customerElsewhere(CUSTOMER, "node-b", true);
    events.clear();

    inactivity.customerDisconnected(CUSTOMER);
    time.advance(GRACE.plusSeconds(1));
    assertEquals(List.of(), events.kinds(), "connected to node-b: not away, nothing told, nothing abandoned");
    assertTrue(inactivity.customerPresent(CUSTOMER));

    inactivity.nodeGone("node-b");
    assertFalse(events.of(ConversationEvent.CustomerPresence.class).get(0).online(), "away once node-b is gone");
    time.advance(GRACE);
    messages.commitAll();
    assertEquals("abandoned", events.of(ConversationEvent.Closed.class).get(0).reason());
    assertEquals(c.id(), events.of(ConversationEvent.Closed.class).get(0).conversationId());
  }

  /** A node's snapshot of its customers is its whole truth: one it no longer names is not there (a lost offline). */
  @Test
  void aNodesSnapshotWithoutTheCustomerTakesThemAway() {
    Conversation c = started(card);
    inactivity.customerElsewhere(CUSTOMER, "node-b", true);
    inactivity.customerDisconnected(CUSTOMER);
    inactivity.onlyThese("node-c", Set.of());
    events.clear();

    inactivity.onlyThese("node-b", Set.of(CUSTOMER + 1));
    assertFalse(events.of(ConversationEvent.CustomerPresence.class).get(0).online(), "node-b has them no more");
    time.advance(GRACE);
    messages.commitAll();
    assertEquals(c.id(), events.of(ConversationEvent.Closed.class).get(0).conversationId(), "abandoned");
  }

  @Test
  void aCustomerWhoComesBackOnAnotherNodeWithinTheGraceKeepsTheirPlace() {
    Conversation c = started(card);
    inactivity.customerDisconnected(CUSTOMER);
    events.clear();

    inactivity.customerElsewhere(CUSTOMER, "node-b", true);
    assertTrue(events.of(ConversationEvent.CustomerPresence.class).get(0).online(), "back, on node-b");
    time.advance(GRACE.plusSeconds(1));
    messages.commitAll();
    assertEquals(List.of(), events.of(ConversationEvent.Closed.class), "the abandon clock stopped");
    assertEquals(List.of(c), live.openForCustomer(CUSTOMER));

    inactivity.customerElsewhere(CUSTOMER, "node-b", false);
    time.advance(GRACE);
    messages.commitAll();
    assertEquals("abandoned", events.of(ConversationEvent.Closed.class).get(0).reason(), "gone from node-b too");
  }

  @Test
  void aCustomerWhoStaysAwayPastTheGraceAbandonsWhatNobodyAnswered() {
    Conversation c = started(card);
    events.clear();

    inactivity.customerDisconnected(CUSTOMER);
    assertEquals(List.of("CustomerPresence"), events.kinds());
    assertFalse(events.of(ConversationEvent.CustomerPresence.class).get(0).online());

    time.advance(GRACE.minusSeconds(1));
    assertEquals(1, live.openForCustomer(CUSTOMER).size(), "still within the grace");
    time.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), events.of(ConversationEvent.Closed.class), "the end waits for the writer's barrier");
    messages.commitAll();

    ConversationEvent.Closed closed = events.of(ConversationEvent.Closed.class).get(0);
    assertEquals("abandoned", closed.reason());
    assertEquals(ConversationState.ABANDONED, closed.conversation().state());
    assertEquals(c.id(), closed.conversationId());
    assertEquals(List.of(), live.openForCustomer(CUSTOMER));
  }

  @Test
  void anAnsweredCustomerWhoFallsSilentIsWarnedThenClosedForTimeout() {
    Conversation c = assignedTo(AGENT);
    sending.send(Participant.agent(AGENT), c.id(), "a1", "무엇을 도와드릴까요?", 0);
    messages.commitAll();

    time.advance(IDLE_WARNING);
    messages.commitAll();
    assertEquals(Notice.idleWarning(IDLE_CLOSE),
        events.of(ConversationEvent.MessageStored.class).get(1).message().notice());
    assertEquals("5", Notice.idleWarning(IDLE_CLOSE).params().get("minutes"));
    time.advance(IDLE_CLOSE);
    messages.commitAll();

    assertEquals("timeout", events.of(ConversationEvent.Closed.class).get(0).reason());
    assertEquals(List.of(), live.openForAgent(AGENT));
  }

  @Test
  void aCustomerWhoAnswersTheWarningKeepsTheConversation() {
    Conversation c = assignedTo(AGENT);
    sending.send(Participant.agent(AGENT), c.id(), "a1", "무엇을 도와드릴까요?", 0);
    messages.commitAll();
    time.advance(IDLE_WARNING);
    messages.commitAll();

    sending.send(Participant.customer(CUSTOMER), c.id(), "c1", "네, 잠시만요", 0);
    messages.commitAll();
    time.advance(IDLE_CLOSE.multipliedBy(2));
    messages.commitAll();

    assertEquals(List.of(), events.of(ConversationEvent.Closed.class));
    assertEquals(1, live.openForAgent(AGENT).size());
  }
}
