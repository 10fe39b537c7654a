package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.testing.CommitReplyTrap;
import io.sangdam.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batching writer against a real MariaDB: gapless seqs, batching, repeated cmids, barriers and flushing on close. */
@ExtendWith(TestDatabase.class)
class MessageWriterIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private Database db;
  private MessageWriter writer;
  private JdbcChatStore chats;
  private long customerId;

  private void open(TestDatabase.Url url, int maxBatch) {
    open(url, maxBatch, 200_000);
  }

  private void open(TestDatabase.Url url, int maxBatch, int rememberedConversations) {
    open(url, maxBatch, rememberedConversations, 2);
  }

  private void open(TestDatabase.Url url, int maxBatch, int rememberedConversations, int poolSize) {
    db = new Database(url.url(), url.user(), url.password(), poolSize);
    db.migrate();
    writer = new MessageWriter(db, maxBatch, rememberedConversations, new SimpleMeterRegistry());
    chats = new JdbcChatStore(db);
  }

  @AfterEach
  void close() {
    writer.close();
    db.close();
  }

  private long conversation() {
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new io.sangdam.protocol.Json());
    Tenant t = directory.tenantByCode("w").orElseGet(() -> directory.insertTenant("w", "W"));
    Center c = directory.centerByCode(t.id(), "c").orElseGet(() -> directory.insertCenter(t.id(), "c", "C", "UTC"));
    Queue q = directory.queueByCode(c.id(), "q")
        .orElseGet(() -> directory.insertQueue(c.id(), new NewQueue("q", "Q", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null)));
    if (customerId == 0) {
      customerId = new JdbcAuthStore(db).insertVisitor(t.id(), new byte[32], "고객", NOW).customerId();
    }
    Conversation conversation = chats.insertConversation(t.id(), c.id(), q.id(), customerId, "고객", 0, NOW, null);
    return conversation.id();
  }

  private CompletableFuture<StoredMessage> append(long conversation, String cmid, String text) {
    return writer.append(new NewMessage(conversation, SenderKind.CUSTOMER, customerId, cmid, text, NOW));
  }

  @Test
  void queuedMessagesAreCommittedInBatchesWithGaplessSeqsPerConversation(TestDatabase.Url url) {
    open(url, 100);
    long a = conversation();
    long b = conversation();
    List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      futures.add(append(i % 3 == 0 ? b : a, "m" + i, "text " + i));
    }
    writer.start();
    futures.forEach(CompletableFuture::join);
    assertEquals(3, writer.commits(), "300 queued messages in batches of at most 100");

    long nextA = 1;
    long nextB = 1;
    for (int i = 0; i < 300; i++) {
      StoredMessage m = futures.get(i).join();
      assertEquals(i % 3 == 0 ? nextB++ : nextA++, m.seq(), "message " + i);
      assertFalse(m.repeated());
    }
    List<StoredMessage> stored = chats.messagesAfter(a, 0, 1000);
    assertEquals(200, stored.size());
    for (int i = 0; i < stored.size(); i++) {
      assertEquals(i + 1, stored.get(i).seq());
    }
    assertEquals(100, chats.messagesAfter(b, 0, 1000).size());
    assertEquals(List.of(300L, 300L), new Sql(db).list("SELECT COUNT(*), MAX(id) - MIN(id) + 1 FROM message",
        rs -> List.of(rs.getLong(1), rs.getLong(2))).get(0),
        "ids without gaps: the search's indexer waits for every gap to fill (an INSERT ... SELECT leaves gaps)");
    assertEquals(List.of(198L, 199L, 200L), chats.lastMessages(a, 3).stream().map(StoredMessage::seq).toList(),
        "the latest, in order");
  }

  /**
   * A batch is one statement, which must fit the database's largest packet (16 MB here): 1,200 of the longest
   * messages (4,000 emoji, 16 KB each, 19 MB in all) queued for batches of up to 2,000 are cut by their text.
   */
  @Test
  void aBatchOfLongMessagesIsCutByItsText(TestDatabase.Url url) {
    open(url, 2_000);
    long a = conversation();
    String longest = "\uD83D\uDE00".repeat(io.sangdam.protocol.Fields.MAX_TEXT);
    List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      futures.add(append(a, "long" + i, longest));
    }
    writer.start();
    futures.forEach(CompletableFuture::join);
    assertTrue(writer.commits() >= 19, "at most a megabyte's text a statement: " + writer.commits() + " commits");
    assertEquals(1_200, chats.lastMessages(a, 1).get(0).seq());
    assertEquals(longest, chats.lastMessages(a, 1).get(0).body());
  }

  @Test
  void whatWaitsOnAMessageRunsInOrderOnTheDeliveryThreadNotOnTheWriter(TestDatabase.Url url) {
    open(url, 10);
    long a = conversation();
    List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Long> seqs = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(append(a, "d" + i, "text " + i).thenAccept(m -> {
        threads.add(Thread.currentThread().getName());
        seqs.add(m.seq());
      }));
    }
    writer.start();
    futures.forEach(CompletableFuture::join);
    assertEquals(java.util.Set.of("message-delivery"), java.util.Set.copyOf(threads),
        "the writer goes on to the next batch while acks and pushes are made");
    assertEquals(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList(), seqs, "in the order of the commits");
  }

  /**
   * Batch after batch, alone on its database, the writer sends one statement: the insert, its fence inside, committed
   * by itself. No SET of autocommit around it, no read of the fence before it, no COMMIT after it: each would be a
   * round trip more per batch, as many as the batch's own.
   */
  @Test
  void batchAfterBatchTheWriterSendsOneStatementEach(TestDatabase.Url url) throws Exception {
    open(url, 10);
    long a = conversation();
    writer.start();
    append(a, "k0", "first").join();
    Map<String, Long> before = globalStatus();
    for (int i = 1; i <= 30; i++) {
      append(a, "k" + i, "one batch each").join();
    }
    Map<String, Long> after = globalStatus();
    assertTrue(after.get("Com_insert") - before.get("Com_insert") >= 30, "one insert each");
    for (String other : List.of("Com_set_option", "Com_select", "Com_commit", "Com_stmt_prepare")) {
      assertTrue(after.get(other) - before.get(other) < 30, "not a " + other + " with each of them");
    }
    assertEquals(31, chats.messagesAfter(a, 0, 100).size());
  }

  /** The writer keeps its connection only while it has messages: idle, it gives it back to the pool. */
  @Test
  void anIdleWriterGivesItsConnectionBack(TestDatabase.Url url) {
    open(url, 10, 200_000, 1);
    long a = conversation();
    writer.start();
    assertEquals(1, append(a, "i1", "the only connection").join().seq());
    assertEquals(List.of("the only connection"), chats.messagesAfter(a, 0, 10).stream().map(StoredMessage::body)
        .toList(), "read on the pool's one connection, given back by the idle writer");
    assertEquals(2, append(a, "i2", "taken again").join().seq());
  }

  private Map<String, Long> globalStatus() throws java.sql.SQLException {
    Map<String, Long> status = new java.util.HashMap<>();
    try (java.sql.Connection c = db.dataSource().getConnection();
        java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS LIKE 'Com\\_%'")) {
      while (rs.next()) {
        status.put(rs.getString(1), rs.getLong(2));
      }
    }
    return status;
  }

  @Test
  void aConversationTheWriterForgotContinuesFromTheTable(TestDatabase.Url url) {
    open(url, 10, 2);
    writer.start();
    long a = conversation();
    long b = conversation();
    long c = conversation();
    assertEquals(1, append(a, "f1", "a").join().seq());
    assertEquals(2, append(a, "f2", "a").join().seq());
    append(b, "f3", "b").join();
    append(c, "f4", "c").join();
    assertEquals(3, append(a, "f5", "a again").join().seq(), "a was dropped from memory, its seq read back");
    assertEquals(2, append(b, "f6", "b again").join().seq());
  }

  @Test
  void aCmidRepeatedInOneBatchIsStoredOnce(TestDatabase.Url url) {
    open(url, 100);
    long a = conversation();
    CompletableFuture<StoredMessage> first = append(a, "dup", "hello");
    CompletableFuture<StoredMessage> again = append(a, "dup", "hello");
    CompletableFuture<StoredMessage> other = append(a, "other", "next");
    writer.start();
    assertEquals(1, first.join().seq());
    assertEquals(1, again.join().seq());
    assertTrue(again.join().repeated());
    assertEquals(2, other.join().seq());
    assertEquals(2, chats.messagesAfter(a, 0, 10).size());
  }

  @Test
  void aCmidStoredInAnEarlierBatchIsAnsweredWithTheOriginalAndTheRestOfTheBatchStaysGapless(TestDatabase.Url url) {
    open(url, 100);
    writer.start();
    long a = conversation();
    assertEquals(1, append(a, "one", "first").join().seq());
    writer.close();

    writer = new MessageWriter(db, 100, new SimpleMeterRegistry());
    CompletableFuture<StoredMessage> before = append(a, "two", "second");
    CompletableFuture<StoredMessage> repeat = append(a, "one", "first");
    CompletableFuture<StoredMessage> after = append(a, "three", "third");
    writer.start();
    assertEquals(2, before.join().seq());
    assertEquals(1, repeat.join().seq());
    assertTrue(repeat.join().repeated());
    assertEquals(3, after.join().seq());
    List<StoredMessage> stored = chats.messagesAfter(a, 0, 10);
    assertEquals(List.of("first", "second", "third"), stored.stream().map(StoredMessage::body).toList());
  }

  /**
   * A commit whose answer is lost (a relay swallows it) is answered {@code unavailable} though it
   * committed: the resend with the same cmid is that message's first answer (so it is announced
   * then), a further resend a repeat.
   */
  @Test
  void aMessageWhoseCommitWentUnansweredIsAnsweredAsStoredOnItsFirstResendOnly(TestDatabase.Url url)
      throws Exception {
    try (CommitReplyTrap trap = new CommitReplyTrap(url.url())) {
      open(new TestDatabase.Url(trap.url(url.url()), url.user(), url.password()), 100);
      writer.start();
      assertAnsweredOnItsFirstResend(conversation(), () -> trap.arm("in doubt"), trap, "an insert");
    }
  }

  /**
   * In {@code a}, a message whose answer {@code arm} has the trap swallow ({@code what} the database got) is refused,
   * stored all the same, answered as stored on its first resend and as a repeat on the next.
   */
  private void assertAnsweredOnItsFirstResend(long a, Runnable arm, CommitReplyTrap trap, String what)
      throws InterruptedException {
    assertEquals(1, append(a, "d1", "before").join().seq());
    arm.run();
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> append(a, "d2", "in doubt").join());
    assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) refused.getCause()).code());
    assertTrue(trap.awaitSwallowed(0), "the refusal answered " + what + " the database got");

    StoredMessage resent = append(a, "d2", "in doubt").join();
    assertEquals(2, resent.seq());
    assertFalse(resent.repeated(), "its first answer: the other participants are told of it now");
    assertTrue(append(a, "d2", "in doubt").join().repeated(), "told once");
    assertEquals(3, append(a, "d3", "after").join().seq());
    assertEquals(List.of("before", "in doubt", "after"),
        chats.messagesAfter(a, 0, 10).stream().map(StoredMessage::body).toList());
  }

  /**
   * With many nodes a batch is a transaction (its centers' fences, then the insert, then COMMIT): a COMMIT whose
   * answer is lost is in doubt just the same, and the resend is that message's first answer.
   */
  @Test
  void withManyNodesAMessageWhoseCommitWentUnansweredIsAnsweredAsStoredOnItsFirstResendOnly(TestDatabase.Url url)
      throws Exception {
    try (CommitReplyTrap trap = new CommitReplyTrap(url.url())) {
      open(new TestDatabase.Url(trap.url(url.url()), url.user(), url.password()), 100);
      long a = conversation();
      long center = chats.conversation(a).orElseThrow().centerId();
      long token = new JdbcCenterFences(db).take(center, "seoul-1");
      writer.close();
      writer = new MessageWriter(db, 100, new SimpleMeterRegistry(), WriteFence.NONE,
          new JdbcCenterFences(db).fence(id -> id == center ? OptionalLong.of(token) : OptionalLong.empty()));
      writer.start();
      assertAnsweredOnItsFirstResend(a, () -> trap.armCommit("in doubt"), trap, "a COMMIT");
    }
  }

  @Test
  void aBarrierCompletesOnlyAfterEverythingBeforeItIsCommitted(TestDatabase.Url url) {
    open(url, 10);
    long a = conversation();
    List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      futures.add(append(a, "b" + i, "x"));
    }
    CompletableFuture<Void> barrier = writer.barrier();
    writer.start();
    barrier.join();
    futures.forEach(f -> assertTrue(f.isDone() && !f.isCompletedExceptionally()));
    assertEquals(25, chats.messagesAfter(a, 0, 100).size());
  }

  @Test
  void closeCommitsEverythingAcceptedAndRefusesMore(TestDatabase.Url url) {
    open(url, 50);
    long a = conversation();
    writer.start();
    List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(append(a, "c" + i, "x"));
    }
    writer.close();
    futures.forEach(f -> assertTrue(f.isDone() && !f.isCompletedExceptionally()));
    assertEquals(500, chats.messagesAfter(a, 0, 1000).size());
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        () -> append(a, "late", "x").join());
    assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) refused.getCause()).code());
  }
}
