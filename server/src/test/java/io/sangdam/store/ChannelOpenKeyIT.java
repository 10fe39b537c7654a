package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.channel.ChannelKind;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.FirstMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.testing.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One open conversation per customer of a channel, kept by the database (V021): a second start is refused
 * {@code conflict} and stores nothing, an opening message is stored with its conversation or not at all, the
 * end clears the key so the next start opens a new one; the migration keys the newest of what was open.
 */
@ExtendWith(TestDatabase.class)
class ChannelOpenKeyIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private record Setup(Tenant tenant, Queue queue, long channelCustomer, long widgetCustomer) {}

  private static Setup setUp(Database db) {
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new Json());
    Tenant t = directory.insertTenant("ok", "ok");
    Center seoul = directory.insertCenter(t.id(), "seoul", "서울", "UTC");
    Queue card = directory.insertQueue(seoul.id(), new NewQueue("card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0,
        false, null, null));
    JdbcChannelStore channels = new JdbcChannelStore(db, new Json());
    long channel = channels.insert(t.id(), "app", ChannelKind.CUSTOM, seoul.id(), card.id(), true, Map.of(),
        "secret", NOW).id();
    long customer = channels.ensureCustomer(t.id(), channel, "u-1", "고객", visitor(), NOW);
    long widget = new JdbcAuthStore(db).insertVisitor(t.id(), visitor(), "방문자", NOW).customerId();
    return new Setup(t, card, customer, widget);
  }

  private static byte[] visitor() {
    byte[] hash = new byte[32];
    new SecureRandom().nextBytes(hash);
    return hash;
  }

  private static long open(JdbcChatStore chats, Setup s, long customer, FirstMessage first) {
    return chats.insertConversation(s.tenant.id(), s.queue.centerId(), s.queue.id(), customer, "고객", 0, NOW, null,
        first).id();
  }

  @Test
  void aChannelCustomerHasOneOpenConversationUntilItEnds(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      JdbcChatStore chats = new JdbcChatStore(db);
      Setup s = setUp(db);

      long first = open(chats, s, s.channelCustomer, new FirstMessage("안녕하세요", "m-1"));
      assertEquals(List.of("1 CUSTOMER m-1 안녕하세요"), messages(url, first), "the opening message, stored with it");
      assertEquals(s.channelCustomer, openKey(url, first));

      SangdamException second = assertThrows(SangdamException.class,
          () -> open(chats, s, s.channelCustomer, new FirstMessage("두 번째", "m-2")));
      assertEquals(ErrorCode.CONFLICT, second.code());
      assertEquals(List.of(first), conversations(url, s.channelCustomer), "no second conversation");
      assertEquals(List.of(), cmid(url, s.channelCustomer, "m-2"), "and not its message");

      assertTrue(chats.markEnded(first, ConversationState.CLOSED, "agent", NOW));
      assertEquals(null, openKey(url, first), "the end clears the key");
      SangdamException sameMessage = assertThrows(SangdamException.class,
          () -> open(chats, s, s.channelCustomer, new FirstMessage("안녕하세요", "m-1")));
      assertEquals(ErrorCode.CONFLICT, sameMessage.code(), "a message stored before opens nothing");
      assertEquals(List.of(first), conversations(url, s.channelCustomer));

      long next = open(chats, s, s.channelCustomer, new FirstMessage("또 문의요", "m-3"));
      assertEquals(List.of(first, next), conversations(url, s.channelCustomer), "after the end, a new one");
      assertEquals(List.of("1 CUSTOMER m-3 또 문의요"), messages(url, next));
      assertEquals(s.channelCustomer, openKey(url, next));

      // Ended by a node of a version before V021 (a rolling upgrade), which does not clear the key: the next
      // start clears what holds nothing open and opens all the same.
      assertTrue(chats.markEnded(next, ConversationState.CLOSED, "agent", NOW));
      update(url, "UPDATE conversation SET channel_open_customer = customer_id WHERE id = ?", next);
      long afterUpgrade = open(chats, s, s.channelCustomer, new FirstMessage("업그레이드 중", "m-4"));
      assertEquals(null, openKey(url, next));
      assertEquals(s.channelCustomer, openKey(url, afterUpgrade));

      long w1 = open(chats, s, s.widgetCustomer, FirstMessage.of("문의"));
      long w2 = open(chats, s, s.widgetCustomer, null);
      assertEquals(List.of(w1, w2), conversations(url, s.widgetCustomer), "the widget's customers are not limited");
      assertEquals(null, openKey(url, w1));
      assertEquals(List.of("1 CUSTOMER null 문의"), messages(url, w1));
      assertEquals(List.of(), messages(url, w2));
    }
  }

  @Test
  void theMigrationKeysTheNewestOpenConversationOfEachChannelCustomer(TestDatabase.Url url) throws SQLException {
    // The schema as it was before V021, with what it allowed: two open conversations of one channel user.
    String before = Arrays.stream(Flyway.configure().dataSource(url.url(), url.user(), url.password())
            .locations("classpath:db/migration").load().info().all())
        .map(m -> m.getVersion()).filter(v -> !v.isAtLeast("21"))
        .max(Comparator.naturalOrder()).orElseThrow().getVersion();
    Flyway.configure().dataSource(url.url(), url.user(), url.password()).locations("classpath:db/migration")
        .target(before).load().migrate();
    long customer;
    long widget;
    List<Long> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement st = c.createStatement()) {
      long tenant = insert(st, "INSERT INTO tenant (code, name, created_at) VALUES ('mg', 'mg', NOW(3))");
      long center = insert(st, "INSERT INTO center (tenant_id, code, name, created_at) VALUES (" + tenant
          + ", 'seoul', '서울', NOW(3))");
      long queue = insert(st, "INSERT INTO chat_queue (center_id, code, name, policy, created_at) VALUES (" + center
          + ", 'card', '카드', 'LEAST_BUSY', NOW(3))");
      long channel = insert(st, "INSERT INTO channel (tenant_id, code, kind, center_id, queue_id, settings, secret, "
          + "created_at) VALUES (" + tenant + ", 'app', 'CUSTOM', " + center + ", " + queue + ", '{}', 's', NOW(3))");
      customer = insert(st, "INSERT INTO customer (tenant_id, visitor_hash, name, created_at, channel_id, "
          + "channel_user) VALUES (" + tenant + ", RANDOM_BYTES(32), '고객', NOW(3), " + channel + ", 'u-1')");
      widget = insert(st, "INSERT INTO customer (tenant_id, visitor_hash, name, created_at) VALUES (" + tenant
          + ", RANDOM_BYTES(32), '방문자', NOW(3))");
      for (String[] row : new String[][] {{"" + customer, "CLOSED"}, {"" + customer, "ASSIGNED"},
          {"" + customer, "WAITING"}, {"" + customer, "CLOSED"}, {"" + widget, "WAITING"}, {"" + widget, "WAITING"}}) {
        ids.add(insert(st, "INSERT INTO conversation (tenant_id, center_id, queue_id, customer_id, state, created_at, "
            + "queued_at, channel) VALUES (" + tenant + ", " + center + ", " + queue + ", " + row[0] + ", '" + row[1]
            + "', NOW(3), NOW(3), 'app')"));
      }
    }

    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
    }

    assertEquals(Arrays.asList(null, null, customer, null, null, null),
        ids.stream().map(id -> openKey(url, id)).toList(),
        "only the newest open conversation of the channel's customer");
  }

  private static void update(TestDatabase.Url url, String sql, long id) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      assertEquals(1, ps.executeUpdate());
    }
  }

  private static long insert(Statement st, String sql) throws SQLException {
    st.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
    try (ResultSet keys = st.getGeneratedKeys()) {
      keys.next();
      return keys.getLong(1);
    }
  }

  private static Long openKey(TestDatabase.Url url, long conversation) {
    List<String> key = query(url, "SELECT channel_open_customer FROM conversation WHERE id = ?", conversation);
    return key.get(0) == null ? null : Long.valueOf(key.get(0));
  }

  private static List<Long> conversations(TestDatabase.Url url, long customer) {
    return query(url, "SELECT id FROM conversation WHERE customer_id = ? ORDER BY id", customer).stream()
        .map(Long::valueOf).toList();
  }

  private static List<String> messages(TestDatabase.Url url, long conversation) {
    return query(url, "SELECT CONCAT_WS(' ', seq, sender_kind, IFNULL(cmid, 'null'), body) FROM message "
        + "WHERE conversation_id = ? ORDER BY seq", conversation);
  }

  private static List<String> cmid(TestDatabase.Url url, long customer, String cmid) {
    return query(url, "SELECT conversation_id FROM message WHERE sender_kind = 'CUSTOMER' AND sender_id = ? "
        + "AND cmid = ?", customer, cmid);
  }

  private static List<String> query(TestDatabase.Url url, String sql, Object... params) {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
