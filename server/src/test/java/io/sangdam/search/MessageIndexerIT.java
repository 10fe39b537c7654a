package io.sangdam.search;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcMessageFeed;
import io.sangdam.testing.CapturedLog;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's indexer over the real database, beside the server's own: what it rebuilds from (a restored or another
 * database), ids passed over far below the head, a conversation moved to another center, a disk that fills, and a
 * search while a round is held up.
 */
class MessageIndexerIT {
  @RegisterExtension
  static final TestServer server = new TestServer();
  private static final UnaryOperator<String> KEYED = item -> "h" + Integer.toHexString(item.hashCode());

  @TempDir
  Path dir;
  private final ManualTime clock = new ManualTime(Instant.now());
  private Database database;
  private TestServer.Setup s;
  private long tenant;
  private final List<MessageIndexer> opened = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    TestDatabase.Url url = server.database();
    database = new Database(url.url(), url.user(), url.password(), 2);
    s = server.setUp();
    tenant = number("SELECT id FROM tenant WHERE code = ?", s.tenant());
  }

  @AfterEach
  void close() {
    opened.forEach(MessageIndexer::close);
    database.close();
  }

  private MessageIndexer indexer(MessageFeed feed, Function<String, MessageIndex> open) {
    MessageIndexer indexer = new MessageIndexer(feed, open, clock);
    opened.add(indexer);
    return indexer;
  }

  private MessageIndexer indexer() {
    return indexer(new JdbcMessageFeed(database), id -> new MessageIndex(dir, KEYED, "probe", id));
  }

  /**
   * Closes the indexer once the ids other tests passed over are no longer waited for, so that its commit stands at
   * the head and a reopened index is not far behind.
   */
  private void closed(MessageIndexer indexer) {
    clock.advance(Duration.ofSeconds(61));
    indexer.tick();
    opened.remove(indexer);
    indexer.close();
  }

  /** Ticks until the indexer sees every message and erasure stored (a bounded number of rounds). */
  private void caughtUp(MessageIndexer indexer) {
    for (int i = 0; i < 100 && !indexer.seesAllStored(); i++) {
      clock.advance(Duration.ofMillis(200));
      indexer.tick();
    }
    assertTrue(indexer.seesAllStored(), "caught up");
  }

  private List<Long> find(MessageIndexer indexer, Collection<Long> centers, String text) {
    return indexer.find(tenant, centers, text, false, null, null, null, 100).stream()
        .map(MessageIndex.Hit::conversationId).toList();
  }

  /** Whether a search finds the conversation before any round: false for an index emptied (or still far behind). */
  private boolean holds(MessageIndexer indexer, long conversation, String text) {
    try {
      return find(indexer, null, text).contains(conversation);
    } catch (SangdamException e) {
      assertEquals(ErrorCode.UNAVAILABLE, e.code());
      return false;
    }
  }

  @Test
  void aRestoredOrAnotherDatabaseRebuildsButAnErasedNewestMessageDoesNot() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "정기예금 해지하려고요");
    MessageIndexer indexer = indexer();
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, null, "예금"));
    closed(indexer);

    // The newest message deleted (as an erasure deletes): the counter stays, and so does the index.
    update("DELETE FROM message WHERE id = (SELECT id FROM (SELECT MAX(id) AS id FROM message) newest)");
    indexer = indexer();
    assertEquals(List.of(chat), find(indexer, null, "예금"), "read on, not rebuilt");
    closed(indexer);

    // As after a restore from a backup taken before that message: the counter is back below what was read.
    update("ALTER TABLE message AUTO_INCREMENT = 1");
    indexer = indexer();
    assertFalse(holds(indexer, chat, "예금"), "rebuilt from the start");
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, null, "예금"));
    closed(indexer);

    String id = text("SELECT id FROM database_id");
    update("UPDATE database_id SET id = 'another-database'");
    try {
      indexer = indexer();
      assertFalse(holds(indexer, chat, "예금"), "another database: rebuilt");
      caughtUp(indexer);
      assertEquals(List.of(chat), find(indexer, null, "예금"));
    } finally {
      update("UPDATE database_id SET id = '" + id + "'");
    }
  }

  /**
   * An id handed out long before its transaction commits, with tens of thousands handed out meanwhile (INSERT IGNOREs,
   * Galera's auto-increment step): still waited for, and read when it comes.
   */
  @Test
  void anIdPassedOverFarBelowTheHeadIsReadWhenItComes() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "적금 만기 안내");
    MessageIndexer indexer = indexer();
    caughtUp(indexer);
    long head = number("SELECT MAX(id) FROM message WHERE conversation_id <= ?", chat);
    say(head + 50_000, chat, "계좌 개설 문의");
    caughtUp(indexer);
    say(head + 10, chat, "대출 상환 문의");
    // Below the highest id read: no head to catch up to, a gap asked for again each round.
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      indexer.tick();
    }
    assertEquals(List.of(chat), find(indexer, null, "대출"), "40,000 ids below the head");
    assertEquals(List.of(chat), find(indexer, null, "계좌"));
  }

  /**
   * While an index is far behind (here: ids jump 30,000 ahead), a search by text is 503 naming its progress as a
   * percentage only, no count of messages (every tenant's); once caught up it answers.
   */
  @Test
  void whileBuildingASearchIs503WithItsProgressOnly() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "자동이체 해지 신청");
    say(number("SELECT MAX(id) FROM message WHERE conversation_id <= ?", chat) + 30_000, chat, "네 알겠습니다");
    MessageIndexer indexer = indexer();
    SangdamException e = assertThrows(SangdamException.class, () -> find(indexer, null, "자동이체"));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().matches("this server's search index is still being built \\(\\d{1,2} % done\\): .*"),
        e.getMessage());
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, null, "자동이체"));
  }

  /**
   * A conversation transferred to another center is found by a search held to that center, its earlier words too; so
   * is one moved back, and one moved while no indexer ran.
   */
  @Test
  void aConversationMovedToAnotherCenterIsFoundThere() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "카드 한도 상향 요청");
    long busan = newCenter("busan", "부산");
    long seoul = number("SELECT center_id FROM conversation WHERE id = ?", chat);
    MessageIndexer indexer = indexer();
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, Set.of(seoul), "한도"));
    assertEquals(List.of(), find(indexer, Set.of(busan), "한도"));

    update("UPDATE conversation SET center_id = " + busan + " WHERE id = " + chat);
    say(null, chat, "부산 센터로 옮겨 드렸습니다");
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, Set.of(busan), "한도"), "its earlier message is read again");
    assertEquals(List.of(), find(indexer, Set.of(seoul), "한도"));

    update("UPDATE conversation SET center_id = " + seoul + " WHERE id = " + chat);
    say(null, chat, "서울 센터로 다시 옮겨 드렸습니다");
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, Set.of(seoul), "한도"), "moved back: its center as last read is no proof");
    assertEquals(List.of(), find(indexer, Set.of(busan), "한도"));

    closed(indexer);
    update("UPDATE conversation SET center_id = " + busan + " WHERE id = " + chat);
    say(null, chat, "다시 부산입니다");
    MessageIndexer reopened = indexer();
    caughtUp(reopened);
    assertEquals(List.of(chat), find(reopened, Set.of(busan), "한도"), "moved while no indexer ran: found in the index");
    assertEquals(List.of(), find(reopened, Set.of(seoul), "한도"));
  }

  /**
   * A conversation moved just after the index caught up, before anything made what the catch-up added visible: the
   * search of the index that finds none of its messages elsewhere does not see them yet, so it settles nothing, and
   * its next message after the refresh reads the earlier ones again into the new center.
   */
  @Test
  void aConversationMovedJustAfterCatchingUpIsFoundInItsNewCenter() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "체크카드 분실 신고");
    say(number("SELECT MAX(id) FROM message WHERE conversation_id <= ?", chat) + 30_000, chat, "분실 신고 접수");
    long ulsan = newCenter("ulsan", "울산");
    long first = number("SELECT center_id FROM conversation WHERE id = ?", chat);
    MessageIndexer indexer = indexer();
    tick(indexer); // catches up 30,000 ids in one round, and no search asked for a refresh
    update("UPDATE conversation SET center_id = " + ulsan + " WHERE id = " + chat);
    say(null, chat, "울산 센터로 옮겨 드렸습니다");
    tick(indexer);
    find(indexer, null, "분실"); // asks the next round to refresh
    tick(indexer);
    say(null, chat, "재발급도 신청하시겠어요");
    tick(indexer);
    caughtUp(indexer);
    assertEquals(List.of(chat), find(indexer, Set.of(ulsan), "체크카드"), "its first message moved with it");
    assertEquals(List.of(), find(indexer, Set.of(first), "체크카드"));
  }

  /**
   * A round holds what it read and makes it visible only when a search asked since the last refresh, or at its
   * commit: a refresh every round cut a segment each time, the largest cost of a busy server's indexing.
   */
  @Test
  void whatARoundReadIsVisibleOnceASearchAskedOrAtTheCommit() throws SQLException {
    long chat = TextSearchIT.chat(server, s, "예금 문의");
    MessageIndexer indexer = indexer();
    caughtUp(indexer);
    say(null, chat, "보통예금 통장");
    tick(indexer);
    say(null, chat, "통장 재발급 부탁드려요");
    tick(indexer);
    assertEquals(List.of(), find(indexer, null, "재발급"), "read, but no search asked since the last refresh");
    tick(indexer);
    assertEquals(List.of(chat), find(indexer, null, "재발급"), "the round after the search made it visible");

    tick(indexer);
    say(null, chat, "대출 상담도 가능한가요");
    clock.advance(Duration.ofSeconds(10));
    tick(indexer);
    assertEquals(List.of(chat), find(indexer, null, "대출"), "visible at the commit, no search asked");
  }

  /** A conversation moved while its first messages were read but not yet added: all of them go to its new center. */
  @Test
  void aConversationMovedWhileItsMessagesWaitForTheIndexIsFoundInItsNewCenter() throws SQLException {
    long earlier = TextSearchIT.chat(server, s, "환전 문의");
    MessageIndexer indexer = indexer();
    caughtUp(indexer);
    say(null, earlier, "환전 수수료");
    tick(indexer);
    long daegu = newCenter("daegu", "대구");
    long chat = TextSearchIT.chat(server, s, "외화 예금 해지");
    long first = number("SELECT center_id FROM conversation WHERE id = ?", chat);
    tick(indexer);
    update("UPDATE conversation SET center_id = " + daegu + " WHERE id = " + chat);
    say(null, chat, "대구 센터로 옮겨 드렸습니다");
    tick(indexer);
    find(indexer, null, "외화");
    tick(indexer);
    assertEquals(List.of(chat), find(indexer, Set.of(daegu), "외화"), "its first message moved with it");
    assertEquals(List.of(), find(indexer, Set.of(first), "외화"));
  }

  private void tick(MessageIndexer indexer) {
    clock.advance(Duration.ofMillis(1_000));
    indexer.tick();
  }

  /**
   * A disk that fills under the index: searches by text answer 503 unavailable, the trouble is logged once however
   * often rounds come, and once there is room again the index is opened again and reads on.
   */
  @Test
  void aFailedIndexIsUnavailableLoggedOnceAndOpenedAgain() {
    Full disk = new Full();
    MessageIndexer indexer = indexer(new JdbcMessageFeed(database), id -> new MessageIndex(disk.over(dir), KEYED,
        "probe", id, PiiMasking.RULES_VERSION));
    caughtUp(indexer);
    try (CapturedLog log = CapturedLog.of(MessageIndexer.class)) {
      disk.full = true;
      long chat = TextSearchIT.chat(server, s, "체크카드 재발급 문의");
      // Five minutes of rounds every 200 ms, the disk full all along: opened again every half minute, failing again.
      for (int i = 0; i < 1_500; i++) {
        clock.advance(Duration.ofMillis(200));
        indexer.tick();
      }
      SangdamException e = assertThrows(SangdamException.class, () -> find(indexer, null, "재발급"));
      assertEquals(ErrorCode.UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
      List<String> warnings = log.at(Level.WARN);
      assertTrue(warnings.size() >= 1 && warnings.size() <= 5, "once a minute at most: " + warnings);

      disk.full = false;
      clock.advance(MessageIndexer.REOPEN_EVERY);
      caughtUp(indexer);
      assertEquals(List.of(chat), find(indexer, null, "재발급"), "opened again, and read on");
    }
  }

  /** A search is answered from what the index holds while a round waits on the database, without waiting for it. */
  @Test
  void aSearchDoesNotWaitForARound() throws Exception {
    long chat = TextSearchIT.chat(server, s, "외화 송금 한도");
    CountDownLatch inRound = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    JdbcMessageFeed real = new JdbcMessageFeed(database);
    MessageFeed heldUp = new HeldUp(real, inRound, release);
    MessageIndexer indexer = indexer(heldUp, id -> new MessageIndex(dir, KEYED, "probe", id));
    caughtUp(indexer);
    ((HeldUp) heldUp).hold = true;
    CompletableFuture<Void> round = CompletableFuture.runAsync(indexer::tick);
    try {
      assertTrue(inRound.await(30, TimeUnit.SECONDS), "the round reached the database");
      List<Long> found = CompletableFuture.supplyAsync(() -> find(indexer, null, "송금")).get(30, TimeUnit.SECONDS);
      assertEquals(List.of(chat), found);
    } finally {
      release.countDown();
      round.get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A server storing more than {@link MessageIndexer#CURRENT_LAG} messages between two ticks (here: ids jump 30,000
   * ahead while the index is level) keeps its index level: a search during the next round is answered, not refused
   * as if the index were being built, and no catch-up is logged. Taken for one, each second of a busy server was a
   * catch-up of its own, committed apart.
   */
  @Test
  void moreThanTheLagStoredBetweenTwoTicksIsNoCatchUp() throws Exception {
    long chat = TextSearchIT.chat(server, s, "정기예금 금리 문의");
    CountDownLatch inRound = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HeldUp heldUp = new HeldUp(new JdbcMessageFeed(database), inRound, release);
    MessageIndexer indexer = indexer(heldUp, id -> new MessageIndex(dir, KEYED, "probe", id));
    caughtUp(indexer);
    tick(indexer); // level at its last tick
    say(number("SELECT MAX(id) FROM message WHERE conversation_id <= ?", chat) + 30_000, chat, "만기 해지 문의");
    try (CapturedLog log = CapturedLog.of(MessageIndexer.class)) {
      heldUp.hold = true;
      CompletableFuture<Void> round = CompletableFuture.runAsync(indexer::tick);
      try {
        assertTrue(inRound.await(30, TimeUnit.SECONDS), "the round reached the database");
        assertEquals(List.of(chat), find(indexer, null, "금리"), "answered while 30,000 behind");
      } finally {
        release.countDown();
        round.get(30, TimeUnit.SECONDS);
      }
      caughtUp(indexer);
      assertEquals(List.of(chat), find(indexer, null, "해지"));
      assertEquals(List.of(), log.at(Level.INFO), "no catch-up");
    }
  }

  /** The real feed, whose reading of new messages waits, once held, until released: a round stuck on the database. */
  private static final class HeldUp implements MessageFeed {
    private final MessageFeed feed;
    private final CountDownLatch inRound;
    private final CountDownLatch release;
    volatile boolean hold;

    HeldUp(MessageFeed feed, CountDownLatch inRound, CountDownLatch release) {
      this.feed = feed;
      this.inRound = inRound;
      this.release = release;
    }

    @Override
    public long lastMessageId() {
      return feed.lastMessageId();
    }

    @Override
    public String databaseId() {
      return feed.databaseId();
    }

    @Override
    public List<Message> messagesAfter(long afterId, int limit) {
      if (hold) {
        inRound.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return feed.messagesAfter(afterId, limit);
    }

    @Override
    public List<Message> messages(Collection<IdRange> ranges, int limit) {
      return feed.messages(ranges, limit);
    }

    @Override
    public List<Message> messagesOf(Collection<Long> conversationIds, long upTo) {
      return feed.messagesOf(conversationIds, upTo);
    }

    @Override
    public long messageIdsHandedOut() {
      return feed.messageIdsHandedOut();
    }

    @Override
    public List<Erasure> erasuresAfter(long afterId, int limit) {
      return feed.erasuresAfter(afterId, limit);
    }

    @Override
    public List<Erasure> erasures(Collection<IdRange> ranges, int limit) {
      return feed.erasures(ranges, limit);
    }

    @Override
    public long lastErasureId() {
      return feed.lastErasureId();
    }

    @Override
    public long erasureIdsHandedOut() {
      return feed.erasureIdsHandedOut();
    }
  }

  /** A disk that, once full, refuses every new file, as a full file system does. */
  private static final class Full {
    volatile boolean full;

    Directory over(Path dir) {
      try {
        return new FilterDirectory(FSDirectory.open(dir)) {
          @Override
          public IndexOutput createOutput(String name, IOContext context) throws IOException {
            if (full) {
              throw new IOException("No space left on device");
            }
            return super.createOutput(name, context);
          }

          @Override
          public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
            if (full) {
              throw new IOException("No space left on device");
            }
            return super.createTempOutput(prefix, suffix, context);
          }
        };
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Makes a center in the test's tenant, as its administrator does; its id. */
  private long newCenter(String code, String name) throws SQLException {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(),
        of("code", code, "name", name));
    return number("SELECT c.id FROM center c JOIN tenant t ON t.id = c.tenant_id WHERE t.code = ? AND c.code = '"
        + code + "'", s.tenant());
  }

  /** A message of {@code conversation} with this id (null: the next one), after its others. */
  private static void say(Long id, long conversation, String text) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO message (id, "
        + "conversation_id, seq, sender_kind, body, created_at) SELECT ?, ?, MAX(seq) + 1, 'CUSTOMER', ?, NOW(3) "
        + "FROM message WHERE conversation_id = ?")) {
      ps.setObject(1, id);
      ps.setLong(2, conversation);
      ps.setString(3, text);
      ps.setLong(4, conversation);
      ps.executeUpdate();
    }
  }

  private static void update(String sql) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }

  private static long number(String sql, Object param) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String text(String sql) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection connect() throws SQLException {
    TestDatabase.Url url = server.database();
    return DriverManager.getConnection(url.url(), url.user(), url.password());
  }
}
