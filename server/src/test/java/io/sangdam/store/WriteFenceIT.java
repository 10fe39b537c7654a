package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.cluster.Node;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message writer of a node that lost the database's lease writes nothing more: each batch's insert
 * reads the lease's token, alone on the database and with many nodes (where the batch is a transaction
 * with its centers' fences), and once fenced it answers what is queued {@code unavailable} instead of
 * flushing it on close.
 */
@ExtendWith(TestDatabase.class)
class WriteFenceIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Duration LONG = Duration.ofMinutes(5);

  private Database db;
  private MessageWriter writer;
  private JdbcChatStore chats;
  private long customerId;

  private void open(TestDatabase.Url url, Function<Database, WriteFence> fence) {
    open(url, fence, database -> CenterFence.NONE);
  }

  private void open(TestDatabase.Url url, Function<Database, WriteFence> fence,
      Function<Database, CenterFence> centers) {
    db = new Database(url.url(), url.user(), url.password(), 2);
    db.migrate();
    writer = new MessageWriter(db, 100, new SimpleMeterRegistry(), fence.apply(db), centers.apply(db));
    chats = new JdbcChatStore(db);
  }

  @AfterEach
  void close() {
    writer.close();
    db.close();
  }

  private long conversation() {
    return conversation(centerId -> { });
  }

  /** A conversation in a new center, {@code made} told of the center first. */
  private long conversation(LongConsumer made) {
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new io.sangdam.protocol.Json());
    Tenant t = directory.insertTenant("f", "F");
    Center c = directory.insertCenter(t.id(), "c", "C", "UTC");
    made.accept(c.id());
    Queue q = directory.insertQueue(c.id(), new NewQueue("q", "Q", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null));
    customerId = new JdbcAuthStore(db).insertVisitor(t.id(), new byte[32], "고객", NOW).customerId();
    return chats.insertConversation(t.id(), c.id(), q.id(), customerId, "고객", 0, NOW, null).id();
  }

  private CompletableFuture<StoredMessage> append(long conversation, String cmid) {
    return writer.append(new NewMessage(conversation, SenderKind.CUSTOMER, customerId, cmid, cmid, NOW));
  }

  private static void assertUnavailable(CompletableFuture<StoredMessage> message) {
    CompletionException refused = assertThrows(CompletionException.class, message::join);
    assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) refused.getCause()).code());
  }

  private static Node node(String name, char id) {
    return new Node(Optional.of(name), String.valueOf(id).repeat(32), "localhost", 8080, 1, "/opt/sangdam/data");
  }

  @Test
  void onceAnotherNodeTookTheLeaseTheOldHoldersBatchIsRefusedAndItStops(TestDatabase.Url url) {
    AtomicInteger lost = new AtomicInteger();
    open(url, database -> new JdbcLeaseStore(database).fence("first", lost::incrementAndGet));
    JdbcLeaseStore lease = new JdbcLeaseStore(db);
    assertEquals(Optional.empty(), lease.claim(node("seoul-1", 'a'), "first", LONG));
    long chat = conversation();
    writer.start();
    assertEquals(1, append(chat, "before").join().seq(), "the holder writes");

    assertEquals(Optional.empty(), lease.claim(node("seoul-1", 'b'), "second", LONG), "taken over, by name");
    assertUnavailable(append(chat, "after"));
    assertEquals(1, lost.get(), "the node learns at once that it lost the lease");
    assertUnavailable(append(chat, "later"));
    assertEquals(List.of("before"), chats.messagesAfter(chat, 0, 10).stream().map(StoredMessage::cmid).toList(),
        "nothing written after the takeover");
  }

  /**
   * The insert reads the lease row with a lock, not from a snapshot: a takeover not yet committed holds the batch
   * until it commits, and the batch then finds the new token.
   */
  @Test
  void aBatchDuringATakeoverWaitsForItAndIsRefused(TestDatabase.Url url) throws Exception {
    AtomicInteger lost = new AtomicInteger();
    open(url, database -> new JdbcLeaseStore(database).fence("first", lost::incrementAndGet));
    assertEquals(Optional.empty(), new JdbcLeaseStore(db).claim(node("seoul-1", 'a'), "first", LONG));
    long chat = conversation();
    writer.start();
    assertEquals(1, append(chat, "before").join().seq());

    CompletableFuture<StoredMessage> during;
    try (Connection takeover = db.dataSource().getConnection()) {
      takeover.setAutoCommit(false);
      try (java.sql.Statement s = takeover.createStatement()) {
        s.executeUpdate("UPDATE node_lease SET token = 'second' WHERE scope = 'database'");
      }
      during = append(chat, "during");
      assertThrows(java.util.concurrent.TimeoutException.class, () -> during.get(300, TimeUnit.MILLISECONDS),
          "held by the takeover's lock");
      takeover.commit();
    }
    assertUnavailable(during);
    assertEquals(1, lost.get());
    assertEquals(List.of("before"), chats.messagesAfter(chat, 0, 10).stream().map(StoredMessage::cmid).toList());
  }

  /** With many nodes a batch is a transaction that checks its centers' fences first; the lease's still holds. */
  @Test
  void withManyNodesTheBatchIsRefusedTooOnceAnotherNodeTookTheLease(TestDatabase.Url url) {
    AtomicInteger lost = new AtomicInteger();
    Map<Long, Long> centers = new ConcurrentHashMap<>();
    open(url, database -> new JdbcLeaseStore(database).fence("first", lost::incrementAndGet),
        database -> new JdbcCenterFences(database).fence(centerId -> centers.containsKey(centerId)
            ? OptionalLong.of(centers.get(centerId)) : OptionalLong.empty()));
    JdbcLeaseStore lease = new JdbcLeaseStore(db);
    assertEquals(Optional.empty(), lease.claim(node("seoul-1", 'a'), "first", LONG));
    long chat = conversation(centerId -> centers.put(centerId, new JdbcCenterFences(db).take(centerId, "seoul-1")));
    writer.start();
    assertEquals(1, append(chat, "before").join().seq(), "the holder of the lease and the center writes");

    assertEquals(Optional.empty(), lease.claim(node("seoul-1", 'b'), "second", LONG), "taken over, by name");
    assertUnavailable(append(chat, "after"));
    assertEquals(1, lost.get(), "the node learns at once that it lost the lease");
    assertEquals(List.of("before"), chats.messagesAfter(chat, 0, 10).stream().map(StoredMessage::cmid).toList(),
        "nothing written after the takeover");
  }

  /**
   * A batch sent down the careful path (a cmid stored before) loses the lease between two of its messages: what
   * was committed before is answered, the rest is refused without another try, and the node learns it once.
   */
  @Test
  void aBatchFencedHalfWayDownTheCarefulPathAnswersWhatWasCommittedAndRefusesTheRest(TestDatabase.Url url) {
    AtomicInteger lost = new AtomicInteger();
    AtomicInteger inserts = new AtomicInteger();
    open(url, database -> {
      WriteFence lease = new JdbcLeaseStore(database).fence("first", lost::incrementAndGet);
      return new WriteFence() {
        @Override
        public String conversation() {
          // Each insert's statement is made just before it runs: the third one (a2's) meets the takeover.
          if (inserts.incrementAndGet() == 3) {
            assertEquals(Optional.empty(), new JdbcLeaseStore(database).claim(node("seoul-1", 'b'), "second", LONG));
          }
          return lease.conversation();
        }

        @Override
        public String token() {
          return lease.token();
        }

        @Override
        public boolean holds(Connection c) throws SQLException {
          return lease.holds(c);
        }

        @Override
        public void lost() {
          lease.lost();
        }
      };
    });
    assertEquals(Optional.empty(), new JdbcLeaseStore(db).claim(node("seoul-1", 'a'), "first", LONG));
    long chat = conversation();
    try (MessageWriter earlier = new MessageWriter(db, 100, new SimpleMeterRegistry())) {
      earlier.start();
      earlier.append(new NewMessage(chat, SenderKind.CUSTOMER, customerId, "old", "old", NOW)).join();
    }

    // Queued before the writer starts: one batch, whose insert fails on "old" (inserts: 1), then one by one.
    CompletableFuture<StoredMessage> a1 = append(chat, "a1");
    CompletableFuture<StoredMessage> old = append(chat, "old");
    CompletableFuture<StoredMessage> a2 = append(chat, "a2");
    CompletableFuture<StoredMessage> a3 = append(chat, "a3");
    writer.start();
    assertEquals(2, a1.join().seq(), "committed before the takeover (inserts: 2)");
    assertEquals(1, old.join().seq(), "stored before: its original");
    assertEquals(true, old.join().repeated());
    assertUnavailable(a2);
    assertUnavailable(a3);
    assertEquals(3, inserts.get(), "a3 not tried once the writer knows it is fenced");
    assertEquals(1, lost.get());
    assertUnavailable(append(chat, "later"));
    assertEquals(List.of("old", "a1"), chats.messagesAfter(chat, 0, 10).stream().map(StoredMessage::cmid).toList());
  }

  @Test
  void aFencedWriterAnswersWhatIsQueuedUnavailableAndFlushesNothingOnClose(TestDatabase.Url url) {
    open(url, database -> WriteFence.NONE);
    long chat = conversation();
    CompletableFuture<StoredMessage> queued = append(chat, "queued");
    CompletableFuture<StoredMessage> alsoQueued = append(chat, "also-queued");
    writer.fence();
    assertUnavailable(append(chat, "after"));
    writer.start();
    writer.close();
    assertUnavailable(queued);
    assertUnavailable(alsoQueued);
    assertEquals(List.of(), chats.messagesAfter(chat, 0, 10));
  }
}
