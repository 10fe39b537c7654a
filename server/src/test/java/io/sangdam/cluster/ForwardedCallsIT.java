package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Participant;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.presence.ChatCalls;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls carried between two nodes over a real nats-server: node "a" has the sessions, node "b" owns
 * center 1 and carries its calls out with a chat of its own (lambdas that record what they were asked).
 */
class ForwardedCallsIT {
  private static final long CENTER = 1;
  private static final Instant AT = Instant.parse("2026-12-02T03:04:05.678Z");
  private static final Queue QUEUE = new Queue(7, CENTER, "general", "General", RoutingPolicy.LEAST_BUSY, 3, 0, false,
      null, null, true);
  private static final Conversation CONVERSATION = new Conversation(42, 3, CENTER, 7, 9, "고객", null,
      ConversationState.WAITING, 0, AT, AT, null, 1, false, "web");

  @TempDir
  static Path dir;
  private static NatsServer nats;
  private static Connection connA;
  private static Connection connB;
  private static final Map<Long, String> owners = new ConcurrentHashMap<>();
  private static final List<String> askedOfB = new CopyOnWriteArrayList<>();
  private static final AtomicLong deliveredThrough = new AtomicLong(-1);
  private static ForwardedCalls a;
  private static ForwardedCalls b;

  @BeforeAll
  static void startNodes() throws Exception {
    nats = NatsServer.start(dir.resolve("nats"));
    connA = Nats.connect(nats.url());
    connB = Nats.connect(nats.url());
    owners.put(CENTER, "b");
    ForwardedCalls.CenterOwners ownerTable = new ForwardedCalls.CenterOwners() {
      @Override
      public Optional<String> ownerOf(long centerId) {
        return Optional.ofNullable(owners.get(centerId));
      }

      @Override
      public void forget(long centerId) {
      }
    };
    a = new ForwardedCalls(connA, "a", ownerTable, center -> false, id -> id == 42 ? OptionalLong.of(CENTER) : OptionalLong.empty(),
        c -> { }, id -> id == QUEUE.id() ? Optional.of(QUEUE) : Optional.empty(), refusingChat("a"),
        keyed(refusingChat("a")), refusingRouting(), order(0));
    b = new ForwardedCalls(connB, "b", ownerTable, center -> "b".equals(owners.get(center)), id -> id == 42 ? OptionalLong.of(CENTER) : OptionalLong.empty(),
        c -> { }, id -> id == QUEUE.id() ? Optional.of(QUEUE) : Optional.empty(), chatOfB(),
        keyed(chatOfB()), routingOfB(), order(77));
    a.start();
    b.start();
    connA.flush(Duration.ofSeconds(5));
    connB.flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void stopNodes() throws Exception {
    a.close();
    b.close();
    connA.close();
    connB.close();
    nats.close();
  }

  /** Node a must never carry out a call for center 1 itself. */
  private static ChatCalls refusingChat(String node) {
    return chat(c -> {
      throw new AssertionError("node " + node + " carried out " + c + " itself");
    });
  }

  /** A chat's starts under keys; no key is found in a database. */
  private static KeyedStarts keyed(ChatCalls chat) {
    return new KeyedStarts(new KeyedStarts.Opening() {
      @Override
      public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
          Optional<FirstMessage> text, long originSession, String startKey, Consumer<Conversation> announce) {
        return chat.start().start(tenantId, queue, customerId, customerName, text, originSession, announce);
      }

      @Override
      public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
    }, Ticker.systemTicker(),
        new SimpleMeterRegistry());
  }

  private static AgentAvailability refusingRouting() {
    return new AgentAvailability() {
      @Override
      public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
        throw new AssertionError("told routing here");
      }

      @Override
      public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected,
          String awayReason) {
        throw new AssertionError("told routing here");
      }
    };
  }

  private static AgentAvailability routingOfB() {
    return new AgentAvailability() {
      @Override
      public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
        askedOfB.add("available " + agent.agentId());
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected,
          String awayReason) {
        askedOfB.add("unavailable " + agentId + " " + connected + (awayReason == null ? "" : " " + awayReason));
        return CompletableFuture.completedFuture(null);
      }
    };
  }

  private static ChatCalls chatOfB() {
    return chat(askedOfB::add);
  }

  private static ChatCalls chat(java.util.function.Consumer<String> asked) {
    return new ChatCalls(
        (tenantId, queue, customerId, name, text, origin, announce) -> {
          asked.accept("start " + queue.code() + " " + text.map(f -> f.text() + (f.cmid() == null ? "" : "/" + f.cmid()))
              .orElse("-") + " " + origin);
          announce.accept(CONVERSATION);
          return CompletableFuture.completedFuture(CONVERSATION);
        },
        (sender, conversationId, cmid, text, button, origin) -> {
          asked.accept("send " + sender.kind() + " " + text + " " + origin + (button == null ? "" : " button " + button));
          if (text.equals("refuse")) {
            return CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONVERSATION_CLOSED, "it ended"));
          }
          return CompletableFuture.completedFuture(new StoredMessage(conversationId, 2, sender.kind(), sender.id(),
              cmid, text, AT, null, false));
        },
        (sender, conversationId, cmid, text, attachment, origin) -> {
          asked.accept("sendFile " + sender.kind() + " " + text + " " + attachment.sha256());
          return CompletableFuture.completedFuture(new StoredMessage(conversationId, 3, sender.kind(), sender.id(),
              cmid, text, AT, attachment, false));
        },
        (agentId, conversationId, categoryId, tags, origin) -> {
          asked.accept("close " + tags);
          return CompletableFuture.completedFuture("agent");
        },
        (customerId, conversationId, origin) -> CompletableFuture.completedFuture("customer"),
        agent -> {
          asked.accept("waiting " + agent.queueIds());
          return CompletableFuture.completedFuture(List.of(CONVERSATION));
        },
        (agent, conversationId) -> {
          asked.accept("pick " + conversationId);
          return CompletableFuture.completedFuture(null);
        },
        (authorId, conversationId, cmid, text, origin) -> CompletableFuture.failedFuture(new AssertionError()),
        (authorId, conversationId, cmid, text, origin) -> CompletableFuture.failedFuture(new AssertionError()),
        (customerId, conversationId, score, comment) -> CompletableFuture.completedFuture(null),
        (agentId, conversationId, target, note, origin) -> {
          asked.accept("toQueue " + target.code() + " " + note.orElse("-"));
          return CompletableFuture.completedFuture(null);
        },
        (agentId, conversationId, targetId, targetName, note, origin) -> CompletableFuture.completedFuture(null),
        (agentId, conversationId, hold, origin) -> CompletableFuture.completedFuture(null),
        (supervisorId, name, conversationId, origin) -> CompletableFuture.completedFuture(CONVERSATION),
        (conversationId, targetId, targetName) -> {
          throw new IllegalStateException("a bug on the owner");
        },
        (tenantId, endpointId, conversationId, requestId, body) -> {
          asked.accept("botReply " + tenantId + " " + endpointId + " " + requestId + " " + body);
          return requestId.equals("late") ? CompletableFuture.failedFuture(new SangdamException(ErrorCode.CONFLICT,
              "awaits no such reply")) : CompletableFuture.completedFuture(null);
        });
  }

  private static ForwardedCalls.EventOrder order(long published) {
    return new ForwardedCalls.EventOrder() {
      @Override
      public CompletableFuture<Long> published(long conversationId) {
        return CompletableFuture.completedFuture(conversationId == 0 ? 0 : published);
      }

      @Override
      public CompletableFuture<Void> deliveredThrough(long position) {
        deliveredThrough.set(position);
        return CompletableFuture.completedFuture(null);
      }
    };
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static SangdamException refusal(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(SangdamException.class, e.getCause());
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aMessageIsStoredByTheOwnerAndAnsweredAfterTheOwnersEvents() throws Exception {
    StoredMessage stored = await(a.calls().send().send(Participant.customer(9), 42, "c1", "안녕하세요", 5));

    assertEquals(new StoredMessage(42, 2, SenderKind.CUSTOMER, 9L, "c1", "안녕하세요", AT, null, false), stored);
    assertTrue(askedOfB.contains("send CUSTOMER 안녕하세요 5"), askedOfB.toString());
    assertEquals(77, deliveredThrough.get(), "the answer waited for the owner's events up to where it stood");
  }

  @Test
  void aButtonChosenForTheBotTravelsWithTheMessageToTheOwner() throws Exception {
    await(a.calls().send().send(Participant.customer(9), 42, "c9", "주문 조회", "order", 5));

    assertTrue(askedOfB.contains("send CUSTOMER 주문 조회 5 button order"), askedOfB.toString());
  }

  @Test
  void aFileStoredHereIsAnnouncedByTheOwnerWithItsRecord() throws Exception {
    Attachment photo = new Attachment(11, 42, "photo.png", "image/png", 1234, "ab".repeat(32), "cd".repeat(32),
        SenderKind.CUSTOMER, 9, AT);

    StoredMessage stored = await(a.calls().sendFile().send(Participant.customer(9), 42, "f1", "photo.png", photo, 0));

    assertEquals(new StoredMessage(42, 3, SenderKind.CUSTOMER, 9L, "f1", "photo.png", AT, photo, false), stored);
    assertTrue(askedOfB.contains("sendFile CUSTOMER photo.png " + "ab".repeat(32)), askedOfB.toString());
  }

  @Test
  void theOwnersRefusalReachesTheSessionWithItsCode() throws Exception {
    SangdamException refused = refusal(a.calls().send().send(Participant.agent(4), 42, "c2", "refuse", 5));

    assertEquals(ErrorCode.CONVERSATION_CLOSED, refused.code());
    assertEquals("it ended", refused.getMessage());
  }

  @Test
  void anExternalBotsReplyReachesTheOwnerWithItsBodyAndTheOwnersRefusalComesBack() throws Exception {
    await(a.calls().botReply().reply(7, 3, 42, "42-5", "{\"action\":\"wait\"}"));
    assertTrue(askedOfB.contains("botReply 7 3 42-5 {\"action\":\"wait\"}"), askedOfB.toString());

    SangdamException refused = refusal(a.calls().botReply().reply(7, 3, 42, "late", "{}"));
    assertEquals(ErrorCode.CONFLICT, refused.code());
    assertEquals("awaits no such reply", refused.getMessage());
  }

  @Test
  void aBugOnTheOwnerIsUnavailableNotItsStackTrace() throws Exception {
    SangdamException refused = refusal(a.calls().reassign().reassign(42, 4, "김상담"));

    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
  }

  @Test
  void aStartIsAnnouncedOnTheAskingNodeWithTheOwnersConversation() throws Exception {
    List<Conversation> announced = new CopyOnWriteArrayList<>();
    Conversation started = await(a.calls().start().start(3, QUEUE, 9, "고객", Optional.of(new FirstMessage("문의", "m-1")), 6,
        announced::add));

    assertEquals(CONVERSATION, started);
    assertEquals(List.of(CONVERSATION), announced);
    assertTrue(askedOfB.contains("start general 문의/m-1 6"), askedOfB.toString());
  }

  @Test
  void routingCallsGoToTheOwnerOfTheAgentsCenter() throws Exception {
    AgentProfile agent = new AgentProfile(4, CENTER, Set.of(7L), 2);

    assertEquals(List.of(CONVERSATION), await(a.calls().waiting().waitingFor(agent)));
    await(a.calls().pick().pick(agent, 42));
    await(a.calls().toQueue().toQueue(4, 42, QUEUE, Optional.of("카드 문의"), 5));
    assertEquals("agent", await(a.calls().close().close(4, 42, null, List.of("카드"), 5)));

    assertTrue(askedOfB.containsAll(List.of("waiting [7]", "pick 42", "toQueue general 카드 문의", "close [카드]")),
        askedOfB.toString());
  }

  /** Each completes once the owner has it: what the agent's console is answered on (SetStatusTest). */
  @Test
  void anAgentsAvailabilityReachesTheRoutingOfTheirCenter() throws Exception {
    await(a.availability().agentAvailable(new AgentProfile(4, CENTER, Set.of(7L), 2)));
    assertTrue(askedOfB.contains("available 4"), askedOfB.toString());
    await(a.availability().agentUnavailable(CENTER, 4, true, "meal"));
    await(a.availability().agentUnavailable(CENTER, 4, false, null));

    assertTrue(askedOfB.containsAll(List.of("available 4", "unavailable 4 true meal", "unavailable 4 false")),
        "routing of center 1 told each, the away reason with AWAY: " + askedOfB);
  }

  @Test
  void aCenterNobodyOwnsIsUnavailableAtOnce() throws Exception {
    AgentProfile agent = new AgentProfile(4, 2, Set.of(7L), 2);

    SangdamException refused = assertInstanceOf(SangdamException.class, catching(() ->
        a.calls().waiting().waitingFor(agent)));
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
  }

  @Test
  void anOwnerThatIsGoneIsUnavailable() throws Exception {
    owners.put(3L, "c");
    try {
      SangdamException refused = refusal(a.calls().waiting().waitingFor(new AgentProfile(4, 3, Set.of(7L), 2)));
      assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    } finally {
      owners.remove(3L);
    }
  }

  @Test
  void callsThatDoNotParseOrComeInAnotherFormatAreAnsweredBadCall() throws Exception {
    assertEquals("bad_call", code(connA.request("sangdam.calls.b", "not json".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10)).getData()));
    assertEquals("bad_call", code(connA.request("sangdam.calls.b",
        "{\"v\":2,\"call\":\"send\",\"args\":{}}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10)).getData()));
    assertEquals("bad_call", code(connA.request("sangdam.calls.b",
        "{\"v\":1,\"call\":\"explode\",\"args\":{}}".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10)).getData()));
    assertEquals("bad_call", code(connA.request("sangdam.calls.b",
        "{\"v\":1,\"call\":\"send\",\"args\":{\"conversationId\":\"many\"}}".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10)).getData()));

    assertEquals("bad_call", code(connA.request("sangdam.calls.b", ("{\"v\":1,\"call\":\"start\",\"args\":{\"queueId\":7,"
        + "\"startKey\":\"" + "k".repeat(65) + "\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10)).getData()));

    StoredMessage after = await(a.calls().send().send(Participant.customer(9), 42, "c3", "그 다음", 5));
    assertEquals("그 다음", after.body(), "the owner still answers after hostile calls");
  }

  @Test
  void aCallForACenterThatMovedIsAskedAgainOfItsNewOwner() throws Exception {
    owners.put(CENTER, "b");
    // b no longer owns center 1 when the call arrives, as if the lease moved between look-up and call.
    ForwardedCalls.CenterOwners stale = new ForwardedCalls.CenterOwners() {
      private volatile boolean forgot;

      @Override
      public Optional<String> ownerOf(long centerId) {
        return Optional.of(forgot ? "b" : "a2");
      }

      @Override
      public void forget(long centerId) {
        forgot = true;
      }
    };
    try (Connection conn = Nats.connect(nats.url());
        ForwardedCalls stray = new ForwardedCalls(conn, "a2", ownedBy("b"), center -> false, id -> OptionalLong.of(CENTER), c -> { },
            id -> Optional.of(QUEUE), refusingChat("a2"),
            keyed(refusingChat("a2")), refusingRouting(), order(0))) {
      stray.start();
      conn.flush(Duration.ofSeconds(5));
      // "a3" believes a2 owns the center; a2 says it does not; a3 asks again and reaches b.
      try (Connection conn3 = Nats.connect(nats.url());
          ForwardedCalls a3 = new ForwardedCalls(conn3, "a3", stale, center -> false, id -> OptionalLong.of(CENTER), c -> { },
              id -> Optional.of(QUEUE), refusingChat("a3"),
              keyed(refusingChat("a3")), refusingRouting(), order(0))) {
        StoredMessage m = await(a3.calls().send().send(Participant.customer(9), 42, "c4", "옮겨 갔나요", 8));
        assertEquals("옮겨 갔나요", m.body());
      }
    }
  }

  @Test
  void aStartWhoseOwnerDiedAfterCommittingIsAnsweredByTheNextOwnerFromTheDatabase() throws Exception {
    long center = 5;
    Queue loan = new Queue(8, center, "loan", "Loan", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null, true);
    Conversation committed = new Conversation(43, 3, center, loan.id(), 9, "고객", null, ConversationState.WAITING, 0,
        AT, AT, null, 0, false, null);
    Map<String, Conversation> database = new ConcurrentHashMap<>();
    List<String> opened = new CopyOnWriteArrayList<>();
    owners.put(center, "dying");
    // "dying" commits the conversation under its key, loses the center to "next", and never answers.
    KeyedStarts.Opening dyingChat = new KeyedStarts.Opening() {
      @Override
      public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
          Optional<FirstMessage> text, long originSession, String startKey, Consumer<Conversation> announce) {
        opened.add("dying");
        database.put(startKey, committed);
        owners.put(center, "next");
        return new CompletableFuture<>();
      }

      @Override
      public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
        return CompletableFuture.completedFuture(Optional.ofNullable(database.get(startKey)));
      }
    };
    KeyedStarts.Opening nextChat = new KeyedStarts.Opening() {
      @Override
      public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
          Optional<FirstMessage> text, long originSession, String startKey, Consumer<Conversation> announce) {
        opened.add("next");
        announce.accept(CONVERSATION);
        return CompletableFuture.completedFuture(CONVERSATION);
      }

      @Override
      public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
        return CompletableFuture.completedFuture(Optional.ofNullable(database.get(startKey)));
      }
    };
    try (Connection connDying = Nats.connect(nats.url());
        ForwardedCalls dying = owner(connDying, "dying", center, loan, dyingChat);
        Connection connNext = Nats.connect(nats.url());
        ForwardedCalls next = owner(connNext, "next", center, loan, nextChat)) {
      List<Conversation> announced = new CopyOnWriteArrayList<>();

      Conversation started = await(a.calls().start().start(3, loan, 9, "고객", Optional.empty(), 6, announced::add));

      assertEquals(committed, started);
      assertEquals(List.of(committed), announced, "announced once");
      assertEquals(List.of("dying"), opened, "the next owner opened no second conversation");
    } finally {
      owners.remove(center);
    }
  }

  /** A node owning {@code center} while the owner table says so, answering calls with {@code chat}'s starts alone. */
  private static ForwardedCalls owner(Connection conn, String node, long center, Queue queue, KeyedStarts.Opening chat)
      throws Exception {
    ForwardedCalls calls = new ForwardedCalls(conn, node, ownedBy(node), c -> node.equals(owners.get(c)),
        id -> OptionalLong.empty(), c -> { }, id -> id == queue.id() ? Optional.of(queue) : Optional.empty(),
        refusingChat(node), new KeyedStarts(chat, Ticker.systemTicker(), new SimpleMeterRegistry()), refusingRouting(),
        order(0));
    calls.start();
    conn.flush(Duration.ofSeconds(5));
    return calls;
  }

  private static ForwardedCalls.CenterOwners ownedBy(String node) {
    return new ForwardedCalls.CenterOwners() {
      @Override
      public Optional<String> ownerOf(long centerId) {
        return Optional.of(node);
      }

      @Override
      public void forget(long centerId) {
      }
    };
  }

  private static Throwable catching(ThrowingCall call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("no refusal");
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  private static String code(byte[] answer) throws Exception {
    return ClusterJson.mapper().readTree(answer).path("code").asText();
  }
}
