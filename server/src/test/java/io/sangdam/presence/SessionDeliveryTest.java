package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Note;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.User;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What each session of this node is told of a conversation event, as the client reads it: the
 * customer sees their conversation as they wrote it, staff (the assigned agent, supervisors watching
 * in scope) with personal numbers masked, and the session that asked for a change, answered
 * directly, is not told again. Conversation 5 of customer 7 (Hong, two tabs) is kim's (two tabs);
 * lee, manager of seoul, watches it; customer 8 and agent choi, who serves another queue, are
 * connected too and are never told of it.
 */
class SessionDeliveryTest {
  private static final String NUMBER = "call me at 010-1234-5678";
  private static final String MASKED = "call me at 010-****-5678";

  private final Desk desk = new Desk();
  private final SessionDelivery delivery = new SessionDelivery(desk.sessions);
  private final Queue sales = desk.put(new Queue(101, 10, "sales", "Sales", RoutingPolicy.LEAST_BUSY, 3, 0, false,
      null, null, true));
  private final Center busan = desk.put(new Center(20, 1, "busan", "Busan", "Asia/Seoul", null,
      CenterSettings.DEFAULTS, true));
  private final Queue claims = desk.put(new Queue(200, 20, "claims", "Claims", RoutingPolicy.LEAST_BUSY, 3, 0, false,
      null, null, true));
  private final User choi = desk.put(new User(1003, 1L, 10L, "choi", "Choi", Role.AGENT, null, Set.of(101L), true));
  private final Conversation open = desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED);

  private final InMemoryOutbound hongTab = new InMemoryOutbound();
  private final InMemoryOutbound hongOtherTab = new InMemoryOutbound();
  private final InMemoryOutbound otherCustomer = new InMemoryOutbound();
  private final InMemoryOutbound kimTab = new InMemoryOutbound();
  private final InMemoryOutbound kimOtherTab = new InMemoryOutbound();
  private final InMemoryOutbound leeConsole = new InMemoryOutbound();
  private final InMemoryOutbound choiConsole = new InMemoryOutbound();

  private final CustomerSession hong = customer(7, hongTab);
  private final AgentSession kim = console(desk.kim, kimTab);
  private final AgentSession lee = console(desk.lee, leeConsole);

  {
    customer(7, hongOtherTab);
    customer(8, otherCustomer);
    console(desk.kim, kimOtherTab);
    console(choi, choiConsole);
    desk.sessions.watch(open, lee);
  }

  @Test
  void aCustomersMessageGoesPlainToTheirOtherTabsAndMaskedToTheAgentAndTheWatcher() {
    StoredMessage m = new StoredMessage(5, 4, SenderKind.CUSTOMER, 7L, "c1", NUMBER, desk.time.instant(), null, false);
    delivery.on(new ConversationEvent.MessageStored(open.withMessage(4, false), m, hong.id()));

    assertTrue(hongTab.messages.isEmpty(), "the tab that sent it had its ack: " + hongTab.messages);
    JsonNode plain = desk.only(hongOtherTab);
    assertEquals("message", plain.path("type").asText(), plain.toString());
    assertEquals(5, plain.path("conversation").asLong());
    assertEquals(4, plain.path("seq").asLong());
    assertEquals("customer", plain.path("from").asText());
    assertEquals("Hong", plain.path("name").asText());
    assertEquals(NUMBER, plain.path("text").asText(), "the customer sees what they wrote");
    for (InMemoryOutbound staff : List.of(kimTab, kimOtherTab, leeConsole)) {
      JsonNode masked = desk.only(staff);
      assertEquals("message", masked.path("type").asText(), masked.toString());
      assertEquals(4, masked.path("seq").asLong());
      assertEquals(MASKED, masked.path("text").asText(), "staff see personal numbers masked");
    }
    assertUntold(otherCustomer, choiConsole);
  }

  @Test
  void anAgentsMessageIsNotEchoedToTheirConsoleThatSentIt() {
    Attachment file = new Attachment(9, 5, "id 010-1234-5678.png", "image/png", 2048, "sha", null,
        SenderKind.AGENT, desk.kim.id(), desk.time.instant());
    StoredMessage m = new StoredMessage(5, 4, SenderKind.AGENT, desk.kim.id(), "a1", file.name(), desk.time.instant(),
        file, false);
    delivery.on(new ConversationEvent.MessageStored(open, m, kim.id()));

    assertTrue(kimTab.messages.isEmpty(), "the console that sent it had its ack: " + kimTab.messages);
    JsonNode staff = desk.only(kimOtherTab);
    assertEquals("Kim", staff.path("name").asText(), staff.toString());
    assertEquals("agent", staff.path("from").asText());
    assertEquals("id 010-****-5678.png", staff.path("text").asText());
    assertEquals("id 010-****-5678.png", staff.path("attachment").path("name").asText());
    assertEquals("id 010-****-5678.png", desk.only(leeConsole).path("attachment").path("name").asText());
    for (InMemoryOutbound customer : List.of(hongTab, hongOtherTab)) {
      JsonNode plain = desk.only(customer);
      assertEquals("id 010-1234-5678.png", plain.path("text").asText(), plain.toString());
      assertEquals("id 010-1234-5678.png", plain.path("attachment").path("name").asText());
      assertEquals("/api/attachments/9", plain.path("attachment").path("url").asText());
    }
    assertUntold(otherCustomer, choiConsole);
  }

  @Test
  void aMessageWithoutAnOriginSessionReachesEverySessionOfTheConversation() {
    StoredMessage m = new StoredMessage(5, 4, SenderKind.SYSTEM, null, null, "moved to billing", desk.time.instant(),
        null, false);
    delivery.on(new ConversationEvent.MessageStored(open, m, 0));

    for (InMemoryOutbound out : List.of(hongTab, hongOtherTab, kimTab, kimOtherTab, leeConsole)) {
      JsonNode message = desk.only(out);
      assertEquals("system", message.path("from").asText(), message.toString());
      assertEquals("", message.path("name").asText());
    }
    assertUntold(otherCustomer, choiConsole);
  }

  @Test
  void aDeliveryGivenUpIsToldToTheAgentAndTheWatcherNeverTheCustomer() {
    delivery.on(new ConversationEvent.DeliveryFailed(open, 4, "message", "status 400"));

    for (InMemoryOutbound staff : List.of(kimTab, kimOtherTab, leeConsole)) {
      JsonNode failed = desk.only(staff);
      assertEquals("deliveryFailed", failed.path("type").asText(), failed.toString());
      assertEquals(5, failed.path("conversation").asLong());
      assertEquals(4, failed.path("seq").asLong());
      assertEquals("message", failed.path("item").asText());
      assertEquals("status 400", failed.path("reason").asText());
    }
    assertUntold(hongTab, hongOtherTab, otherCustomer, choiConsole);
  }

  @Test
  void aWhisperGoesToStaffOnlyNeverTheCustomer() {
    Note whisper = new Note(31, 5, desk.lee.id(), "WHISPER", "w1", "offer the refund", desk.time.instant(), false);
    delivery.on(new ConversationEvent.Noted(open, whisper, lee.id()));

    for (InMemoryOutbound agent : List.of(kimTab, kimOtherTab)) {
      JsonNode note = desk.only(agent);
      assertEquals("note", note.path("type").asText(), note.toString());
      assertEquals(5, note.path("conversation").asLong());
      assertEquals(31, note.path("id").asLong());
      assertEquals("WHISPER", note.path("kind").asText());
      assertEquals("lee", note.path("author").path("username").asText());
      assertEquals("offer the refund", note.path("text").asText());
    }
    assertUntold(leeConsole, hongTab, hongOtherTab, otherCustomer, choiConsole);
  }

  @Test
  void anAgentsNoteReachesTheirOtherTabsAndTheWatcherNeverTheCustomer() {
    Note note = new Note(32, 5, desk.kim.id(), "NOTE", "n1", "asked twice", desk.time.instant(), false);
    delivery.on(new ConversationEvent.Noted(open, note, kim.id()));

    assertEquals("asked twice", desk.only(kimOtherTab).path("text").asText());
    assertEquals("asked twice", desk.only(leeConsole).path("text").asText());
    assertUntold(kimTab, hongTab, hongOtherTab, otherCustomer, choiConsole);
  }

  @Test
  void aConversationClosedByItsAgentInvitesTheCustomerToRateAndEndsTheWatch() {
    delivery.on(new ConversationEvent.Closed(open.withState(ConversationState.CLOSED), "agent", kim.id()));

    for (InMemoryOutbound customer : List.of(hongTab, hongOtherTab)) {
      JsonNode closed = desk.only(customer);
      assertEquals("closed", closed.path("type").asText(), closed.toString());
      assertEquals(5, closed.path("conversation").asLong());
      assertEquals("agent", closed.path("reason").asText());
      assertTrue(closed.path("rate").asBoolean(), "the customer is invited to rate: " + closed);
      assertFalse(closed.has("rid"), closed.toString());
    }
    for (InMemoryOutbound staff : List.of(kimOtherTab, leeConsole)) {
      JsonNode closed = desk.only(staff);
      assertEquals("closed", closed.path("type").asText(), closed.toString());
      assertEquals("agent", closed.path("reason").asText());
      assertFalse(closed.has("rate"), "staff are not invited to rate: " + closed);
    }
    assertUntold(kimTab, otherCustomer, choiConsole);
    assertFalse(desk.sessions.watching(5, lee), "nobody watches a closed conversation");
  }

  @Test
  void aConversationNoAgentCarriedIsClosedWithoutTheInvitationToRate() {
    Conversation abandonedWaiting = desk.conversation(5, null, ConversationState.ABANDONED);
    delivery.on(new ConversationEvent.Closed(abandonedWaiting, "abandoned", hong.id()));

    JsonNode closed = desk.only(hongOtherTab);
    assertEquals("abandoned", closed.path("reason").asText(), closed.toString());
    assertFalse(closed.has("rate"), closed.toString());
    assertEquals("abandoned", desk.only(leeConsole).path("reason").asText());
    assertUntold(hongTab, kimTab, kimOtherTab, otherCustomer, choiConsole);
    assertFalse(desk.sessions.watching(5, lee));
  }

  @Test
  void aConversationClosedWhileItWaitedIsNotRated() {
    delivery.on(new ConversationEvent.Closed(desk.conversation(5, null, ConversationState.CLOSED), "timeout", 0));

    for (InMemoryOutbound customer : List.of(hongTab, hongOtherTab)) {
      JsonNode closed = desk.only(customer);
      assertEquals("timeout", closed.path("reason").asText(), closed.toString());
      assertFalse(closed.has("rate"), "no agent carried it, so there is nobody to rate: " + closed);
    }
  }

  @Test
  void anAssignedConversationAbandonedBeforeAnAnswerIsNotRated() {
    delivery.on(new ConversationEvent.Closed(open.withState(ConversationState.ABANDONED), "abandoned", hong.id()));

    JsonNode closed = desk.only(hongOtherTab);
    assertFalse(closed.has("rate"), "only a CLOSED conversation is rated: " + closed);
    assertEquals("abandoned", desk.only(kimTab).path("reason").asText());
    assertEquals("abandoned", desk.only(kimOtherTab).path("reason").asText());
  }

  @Test
  void aClosingWithoutAnOriginTellsEverySessionOfBothSides() {
    delivery.on(new ConversationEvent.Closed(open.withState(ConversationState.CLOSED), "timeout", 0));

    assertTrue(desk.only(hongTab).path("rate").asBoolean());
    assertTrue(desk.only(hongOtherTab).path("rate").asBoolean());
    for (InMemoryOutbound staff : List.of(kimTab, kimOtherTab, leeConsole)) {
      assertEquals("timeout", desk.only(staff).path("reason").asText());
    }
    assertUntold(otherCustomer, choiConsole);
  }

  @Test
  void theCustomerLearnsTheAgentsNameAndTheAgentTheConversationAndNote() {
    delivery.on(new ConversationEvent.Assigned(open, "wants a refund"));

    for (InMemoryOutbound customer : List.of(hongTab, hongOtherTab)) {
      JsonNode assigned = desk.only(customer);
      assertEquals("assigned", assigned.path("type").asText(), assigned.toString());
      assertEquals(5, assigned.path("conversation").asLong());
      assertEquals("Kim", assigned.path("agent").path("name").asText());
      assertFalse(assigned.has("note"), "the note is for staff: " + assigned);
      assertFalse(assigned.path("agent").has("username"), "the customer sees the name only: " + assigned);
    }
    for (InMemoryOutbound agent : List.of(kimTab, kimOtherTab)) {
      JsonNode assigned = desk.only(agent);
      assertEquals("assigned", assigned.path("type").asText(), assigned.toString());
      assertEquals(5, assigned.path("conversation").path("id").asLong());
      assertEquals("billing", assigned.path("conversation").path("queue").asText());
      assertEquals("kim", assigned.path("conversation").path("agent").path("username").asText());
      assertEquals("wants a refund", assigned.path("note").asText());
      assertFalse(assigned.has("rid"), assigned.toString());
    }
    assertUntold(leeConsole, otherCustomer, choiConsole);
  }

  @Test
  void anAssignmentWithoutANoteCarriesNone() {
    delivery.on(new ConversationEvent.Assigned(open, null));

    JsonNode assigned = desk.only(kimTab);
    assertFalse(assigned.has("note"), assigned.toString());
  }

  @Test
  void aWaitingCustomerIsToldTheirPlaceInLine() {
    delivery.on(new ConversationEvent.Queued(desk.conversation(5, null, ConversationState.WAITING), 2, 90));

    for (InMemoryOutbound customer : List.of(hongTab, hongOtherTab)) {
      JsonNode queue = desk.only(customer);
      assertEquals("queue", queue.path("type").asText(), queue.toString());
      assertEquals(5, queue.path("conversation").asLong());
      assertEquals(2, queue.path("position").asInt());
      assertEquals(90, queue.path("etaSeconds").asInt());
    }
    assertUntold(kimTab, kimOtherTab, leeConsole, otherCustomer, choiConsole);
  }

  @Test
  void aHoldReachesBothSidesAndTheWatcherButNotTheConsoleThatAskedForIt() {
    delivery.on(new ConversationEvent.Held(open.withState(ConversationState.HOLD), true, kim.id()));

    for (InMemoryOutbound out : List.of(hongTab, hongOtherTab, kimOtherTab, leeConsole)) {
      JsonNode hold = desk.only(out);
      assertEquals("hold", hold.path("type").asText(), hold.toString());
      assertEquals(5, hold.path("conversation").asLong());
      assertTrue(hold.path("hold").asBoolean());
      assertFalse(hold.has("rid"), hold.toString());
    }
    assertUntold(kimTab, otherCustomer, choiConsole);
  }

  @Test
  void aTransferTellsTheOldAgentsOtherConsolesOnly() {
    Conversation withChoi = desk.conversation(5, choi.id(), ConversationState.ASSIGNED);
    delivery.on(new ConversationEvent.Transferred(withChoi, desk.kim.id(), kim.id()));

    JsonNode transferred = desk.only(kimOtherTab);
    assertEquals("transferred", transferred.path("type").asText(), transferred.toString());
    assertEquals(5, transferred.path("conversation").asLong());
    assertFalse(transferred.has("rid"), transferred.toString());
    assertUntold(kimTab, hongTab, hongOtherTab, leeConsole, choiConsole, otherCustomer);
  }

  @Test
  void aWatcherWhoseScopeNoLongerCoversTheConversationIsDroppedAndToldSo() {
    InMemoryOutbound parkConsole = new InMemoryOutbound();
    AgentSession park = console(desk.park, parkConsole);
    desk.sessions.watch(open, park);
    Conversation inBusan = open.waitingIn(busan.id(), claims.id(), 0, desk.time.instant());

    delivery.on(new ConversationEvent.Moved(inBusan));

    JsonNode unwatched = desk.only(leeConsole);
    assertEquals("unwatched", unwatched.path("type").asText(), unwatched.toString());
    assertEquals("scope", unwatched.path("reason").asText());
    assertEquals(5, unwatched.path("conversation").path("id").asLong());
    assertEquals("seoul", unwatched.path("conversation").path("center").asText(),
        "the conversation as the manager last saw it, not where it went");
    assertFalse(unwatched.has("rid"), unwatched.toString());
    assertFalse(desk.sessions.watching(5, lee));
    assertTrue(desk.sessions.watching(5, park), "the tenant admin still sees busan");
    assertUntold(parkConsole, hongTab, hongOtherTab, kimTab, kimOtherTab, otherCustomer, choiConsole);

    StoredMessage m = new StoredMessage(5, 4, SenderKind.CUSTOMER, 7L, "c1", NUMBER, desk.time.instant(), null, false);
    delivery.on(new ConversationEvent.MessageStored(inBusan, m, 0));
    assertEquals(MASKED, desk.only(parkConsole).path("text").asText());
    assertEquals(1, leeConsole.messages.size(), "nothing more for the manager: " + leeConsole.messages);
  }

  @Test
  void aMoveWithinTheWatchersScopeKeepsTheWatchSilently() {
    Conversation inSales = open.waitingIn(10, sales.id(), 0, desk.time.instant());
    delivery.on(new ConversationEvent.Moved(inSales));

    assertUntold(leeConsole);
    assertTrue(desk.sessions.watching(5, lee));
    Note note = new Note(33, 5, desk.kim.id(), "TRANSFER", "t1", "for sales", desk.time.instant(), false);
    delivery.on(new ConversationEvent.Noted(inSales, note, 0));
    assertEquals("for sales", desk.only(leeConsole).path("text").asText());
  }

  @Test
  void aWatcherOutOfScopeIsToldNothingMoreEvenBeforeTheMoveIsDelivered() {
    Conversation inBusan = open.waitingIn(busan.id(), claims.id(), 0, desk.time.instant());
    StoredMessage m = new StoredMessage(5, 4, SenderKind.CUSTOMER, 7L, "c1", NUMBER, desk.time.instant(), null, false);
    delivery.on(new ConversationEvent.MessageStored(inBusan, m, 0));

    JsonNode only = desk.only(leeConsole);
    assertEquals("unwatched", only.path("type").asText(), "no message, only the end of the watch: " + only);
    assertEquals("scope", only.path("reason").asText());
  }

  @Test
  void theAgentAndTheWatcherSeeTheCustomerGoAndComeBack() {
    delivery.on(new ConversationEvent.CustomerPresence(open, false));

    List<InMemoryOutbound> staff = List.of(kimTab, kimOtherTab, leeConsole);
    for (InMemoryOutbound out : staff) {
      JsonNode presence = desk.only(out);
      assertEquals("presence", presence.path("type").asText(), presence.toString());
      assertEquals(5, presence.path("conversation").asLong());
      assertEquals("offline", presence.path("customer").asText());
    }
    assertUntold(hongTab, hongOtherTab, otherCustomer, choiConsole);

    staff.forEach(out -> out.messages.clear());
    delivery.on(new ConversationEvent.CustomerPresence(open, true));
    for (InMemoryOutbound out : staff) {
      assertEquals("online", desk.only(out).path("customer").asText());
    }
  }

  @Test
  void aWaitingListChangeGoesToEveryConsoleServingThatQueue() {
    Conversation waiting = desk.conversation(5, null, ConversationState.WAITING);
    delivery.on(new ConversationEvent.WaitingAdded(waiting));

    // lee is a manager of seoul with billing among his queues: he serves it too.
    List<InMemoryOutbound> serving = List.of(kimTab, kimOtherTab, leeConsole);
    for (InMemoryOutbound out : serving) {
      JsonNode added = desk.only(out);
      assertEquals("waitingAdded", added.path("type").asText(), added.toString());
      assertEquals(5, added.path("conversation").path("id").asLong());
      assertEquals("billing", added.path("conversation").path("queue").asText());
      assertEquals("WAITING", added.path("conversation").path("state").asText());
    }
    assertUntold(choiConsole, hongTab, hongOtherTab, otherCustomer);

    serving.forEach(out -> out.messages.clear());
    delivery.on(new ConversationEvent.WaitingRemoved(5, 10, 100));
    for (InMemoryOutbound out : serving) {
      JsonNode removed = desk.only(out);
      assertEquals("waitingRemoved", removed.path("type").asText(), removed.toString());
      assertEquals(5, removed.path("conversation").asLong());
    }
    assertUntold(choiConsole, hongTab, hongOtherTab, otherCustomer);
  }

  @Test
  void aWaitingListChangeOfAnotherQueueReachesOnlyItsOwnAgents() {
    Conversation waitingForSales = desk.conversation(5, null, ConversationState.WAITING)
        .waitingIn(10, sales.id(), 0, desk.time.instant());
    delivery.on(new ConversationEvent.WaitingAdded(waitingForSales));
    JsonNode added = desk.only(choiConsole);
    assertEquals("waitingAdded", added.path("type").asText(), added.toString());
    assertEquals("sales", added.path("conversation").path("queue").asText());
    assertUntold(kimTab, kimOtherTab, leeConsole, hongTab, hongOtherTab, otherCustomer);

    choiConsole.messages.clear();
    delivery.on(new ConversationEvent.WaitingRemoved(5, 10, sales.id()));
    assertEquals("waitingRemoved", desk.only(choiConsole).path("type").asText());
    assertUntold(kimTab, kimOtherTab, leeConsole, hongTab, hongOtherTab, otherCustomer);
  }

  @Test
  void theAgentReadsTheRatingWithPersonalNumbersInTheCommentMasked() {
    Conversation closed = open.withState(ConversationState.CLOSED);
    delivery.on(new ConversationEvent.Rated(closed, 4, "kind, " + NUMBER));

    for (InMemoryOutbound agent : List.of(kimTab, kimOtherTab)) {
      JsonNode rated = desk.only(agent);
      assertEquals("rated", rated.path("type").asText(), rated.toString());
      assertEquals(5, rated.path("conversation").asLong());
      assertEquals(4, rated.path("score").asInt());
      assertEquals("kind, " + MASKED, rated.path("comment").asText());
      assertFalse(rated.has("rid"), rated.toString());
    }
    // The customer who rated is answered directly; the rating is the agent's to read.
    assertUntold(hongTab, hongOtherTab, leeConsole, otherCustomer, choiConsole);
  }

  @Test
  void aRatingWithoutACommentCarriesNone() {
    delivery.on(new ConversationEvent.Rated(open.withState(ConversationState.CLOSED), 5, null));

    JsonNode rated = desk.only(kimTab);
    assertEquals(5, rated.path("score").asInt(), rated.toString());
    assertFalse(rated.has("comment"), rated.toString());
  }

  @Test
  void aStartedConversationIsNotPushed() {
    delivery.on(new ConversationEvent.Started(desk.conversation(5, null, ConversationState.WAITING)));

    assertUntold(hongTab, hongOtherTab, kimTab, kimOtherTab, leeConsole, otherCustomer, choiConsole);
  }

  private CustomerSession customer(long customerId, InMemoryOutbound out) {
    CustomerSession s = desk.customer(customerId, out);
    desk.sessions.addCustomer(customerId, s);
    return s;
  }

  private AgentSession console(User user, InMemoryOutbound out) {
    AgentSession s = desk.agent(user, out);
    desk.sessions.addAgent(user.id(), s, () -> { });
    return s;
  }

  private static void assertUntold(InMemoryOutbound... outs) {
    for (InMemoryOutbound out : outs) {
      assertTrue(out.messages.isEmpty(), "told " + out.messages);
    }
  }
}
