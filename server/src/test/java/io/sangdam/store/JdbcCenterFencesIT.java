package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.cluster.CenterFencing;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A center's fence: taking it makes every write of the old owner roll back, the message writer's
 * batches and the chat store's state changes alike, while the writes of centers still owned go on.
 */
@ExtendWith(TestDatabase.class)
class JdbcCenterFencesIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private Database db;
  private JdbcCenterFences fences;
  /** The tokens "this node" holds, as its center leases would answer them. */
  private final Map<Long, Long> tokens = new ConcurrentHashMap<>();
  private final CenterFencing held = centerId -> tokens.containsKey(centerId)
      ? OptionalLong.of(tokens.get(centerId)) : OptionalLong.empty();
  private JdbcChatStore chats;
  private MessageWriter writer;
  private Tenant tenant;
  private long customerId;

  @BeforeEach
  void open(TestDatabase.Url url) {
    db = new Database(url.url(), url.user(), url.password(), 4);
    db.migrate();
    fences = new JdbcCenterFences(db);
    chats = new JdbcChatStore(db, fences.fence(held));
    writer = new MessageWriter(db, 100, new SimpleMeterRegistry(), WriteFence.NONE, fences.fence(held));
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new io.sangdam.protocol.Json());
    tenant = directory.insertTenant("f", "F");
    customerId = new JdbcAuthStore(db).insertVisitor(tenant.id(), new byte[32], "고객", NOW).customerId();
  }

  @AfterEach
  void close() {
    writer.close();
    db.close();
  }

  private Queue center(String code) {
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new io.sangdam.protocol.Json());
    Center c = directory.insertCenter(tenant.id(), code, code, "UTC");
    return directory.insertQueue(c.id(), new NewQueue("q", "Q", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null));
  }

  private long owned(Queue q) {
    tokens.put(q.centerId(), fences.take(q.centerId(), "this"));
    return chats.insertConversation(tenant.id(), q.centerId(), q.id(), customerId, "고객", 0, NOW, null).id();
  }

  private CompletableFuture<StoredMessage> append(long conversation, String cmid) {
    return writer.append(new NewMessage(conversation, SenderKind.CUSTOMER, customerId, cmid, cmid, NOW));
  }

  private List<String> stored(long conversation) {
    return new JdbcChatStore(db).messagesAfter(conversation, 0, 10).stream().map(StoredMessage::cmid).toList();
  }

  private static void assertUnavailable(Runnable write) {
    SangdamException refused = assertThrows(SangdamException.class, write::run);
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
  }

  @Test
  void eachTakeBumpsTheFenceAndACheckPassesOnlyWithTheLatest() throws Exception {
    long center = center("a").centerId();
    assertEquals(1, fences.take(center, "one"));
    assertEquals(2, fences.take(center, "two"));
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      fences.check(c, center, 2);
      assertThrows(CenterFence.Fenced.class, () -> fences.check(c, center, 1));
      c.rollback();
    }
  }

  @Test
  void theOldOwnersStateChangesRollBackOnceAnotherNodeTookTheCenter() {
    Queue q = center("a");
    long chat = owned(q);
    long agentId = 42;
    assertFalse(chats.markHold(chat, agentId, true), "checked, then run (a waiting chat is not held)");

    fences.take(q.centerId(), "other"); // another node won the center; this one still holds the old token
    assertUnavailable(() -> chats.markAssigned(chat, agentId, "ROUTED", NOW));
    assertUnavailable(() -> chats.markEnded(chat, ConversationState.CLOSED, "AGENT", NOW));
    assertUnavailable(() -> chats.markWaiting(chat, null, q.centerId(), q.id(), false, NOW));
    assertUnavailable(() -> chats.insertConversation(tenant.id(), q.centerId(), q.id(), customerId, "고객", 0, NOW, null));
    assertEquals(ConversationState.WAITING, chats.conversation(chat).orElseThrow().state(), "nothing persisted");
    assertEquals(null, chats.conversation(chat).orElseThrow().agentId());
    assertEquals(List.of(), new JdbcChatStore(db).customerConversations(customerId, Long.MAX_VALUE, 10).stream()
        .filter(c -> c.id() != chat).toList(), "no conversation inserted");

    tokens.remove(q.centerId()); // this node knows it lost the center: refused without asking the database
    assertUnavailable(() -> chats.markAssigned(chat, agentId, "ROUTED", NOW));
  }

  @Test
  void aBatchSpanningCentersWritesOnlyTheMessagesOfTheCentersStillOwned() {
    Queue lost = center("lost");
    Queue kept = center("kept");
    long lostChat = owned(lost);
    long keptChat = owned(kept);
    writer.start();
    assertEquals(1, append(lostChat, "before").join().seq(), "the owner writes");

    fences.take(lost.centerId(), "other");
    CompletableFuture<StoredMessage> refused = append(lostChat, "after");
    CompletableFuture<StoredMessage> written = append(keptChat, "kept");
    CompletionException e = assertThrows(CompletionException.class, refused::join);
    assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) e.getCause()).code());
    assertEquals(1, written.join().seq(), "the center still owned is written");
    assertEquals(List.of("before"), stored(lostChat), "nothing written after the takeover");
    assertEquals(List.of("kept"), stored(keptChat));
  }

  @Test
  void aResendToTheOldOwnerIsRefusedNotAnswered() {
    Queue q = center("a");
    long chat = owned(q);
    writer.start();
    append(chat, "m1").join();
    fences.take(q.centerId(), "other");
    CompletionException e = assertThrows(CompletionException.class, () -> append(chat, "m1").join());
    assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) e.getCause()).code());
    assertEquals(List.of("m1"), stored(chat));
  }
}
