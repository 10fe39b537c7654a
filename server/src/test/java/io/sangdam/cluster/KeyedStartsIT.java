package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcChatStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.TestDatabase;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start keys in the database: a start asked again of a center's next owner (the first died right after
 * committing, its memory gone with it) finds the conversation the key opened, and the database holds at
 * most one conversation per key and tenant.
 */
@ExtendWith(TestDatabase.class)
class KeyedStartsIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  /** An owner's chat as far as starts go: the conversation inserted with its key, then announced. */
  private static KeyedStarts.Opening chat(JdbcChatStore store) {
    return new KeyedStarts.Opening() {
      @Override
      public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
          Optional<FirstMessage> text, long originSession, String startKey, Consumer<Conversation> announce) {
        Conversation c = store.insertConversation(tenantId, queue.centerId(), queue.id(), customerId, customerName,
            0, NOW, startKey);
        announce.accept(c);
        return CompletableFuture.completedFuture(c);
      }

      @Override
      public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
        return CompletableFuture.completedFuture(store.conversationStartedWith(tenantId, startKey));
      }
    };
  }

  @Test
  void theNextOwnerFindsTheConversationTheKeyOpenedAndOpensNoOther(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      JdbcChatStore store = new JdbcChatStore(db);
      Setup s = setUp(db, "ks1");
      String key = UUID.randomUUID().toString();
      ForwardedCalls.StartArgs first = new ForwardedCalls.StartArgs(s.tenant.id(), s.queue.id(), s.customer, "고객",
          null, null, 0, key, false);
      ForwardedCalls.StartArgs again = new ForwardedCalls.StartArgs(s.tenant.id(), s.queue.id(), s.customer, "고객",
          null, null, 0, key, true);

      Conversation opened = new KeyedStarts(chat(store), Ticker.systemTicker(), new SimpleMeterRegistry())
          .start(first, s.queue).join();
      KeyedStarts nextOwner = new KeyedStarts(chat(store), Ticker.systemTicker(), new SimpleMeterRegistry());
      Conversation answered = nextOwner.start(again, s.queue).join();

      assertEquals(opened.id(), answered.id());
      assertEquals(s.customer, answered.customerId());
      assertEquals(1, conversations(url, s.customer), "one conversation for the customer");
    }
  }

  @Test
  void oneConversationPerKeyAndTenant(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      JdbcChatStore store = new JdbcChatStore(db);
      Setup one = setUp(db, "ks2");
      Setup other = setUp(db, "ks3");
      String key = UUID.randomUUID().toString();

      Conversation c = store.insertConversation(one.tenant.id(), one.queue.centerId(), one.queue.id(), one.customer,
          "고객", 0, NOW, key);
      SangdamException twice = assertThrows(SangdamException.class, () -> store.insertConversation(one.tenant.id(),
          one.queue.centerId(), one.queue.id(), one.customer, "고객", 0, NOW, key));
      assertEquals(ErrorCode.UNAVAILABLE, twice.code(), "refused as the database would refuse a start");
      assertEquals(1, conversations(url, one.customer));
      assertEquals(c.id(), store.conversationStartedWith(one.tenant.id(), key).orElseThrow().id());

      assertTrue(store.conversationStartedWith(other.tenant.id(), key).isEmpty(), "another tenant's key");
      Conversation theirs = store.insertConversation(other.tenant.id(), other.queue.centerId(), other.queue.id(),
          other.customer, "고객", 0, NOW, key);
      assertEquals(theirs.id(), store.conversationStartedWith(other.tenant.id(), key).orElseThrow().id());

      for (int i = 0; i < 2; i++) {
        store.insertConversation(one.tenant.id(), one.queue.centerId(), one.queue.id(), one.customer, "고객", 0, NOW,
            null);
      }
      assertEquals(3, conversations(url, one.customer), "starts without a key (a single node) are not limited");
    }
  }

  private record Setup(Tenant tenant, Queue queue, long customer) {}

  private static Setup setUp(Database db, String code) {
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new Json());
    Tenant t = directory.insertTenant(code, code);
    Center seoul = directory.insertCenter(t.id(), "seoul", "서울", "UTC");
    Queue card = directory.insertQueue(seoul.id(), new NewQueue("card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0,
        false, null, null));
    byte[] visitor = new byte[32];
    new SecureRandom().nextBytes(visitor);
    long customer = new JdbcAuthStore(db).insertVisitor(t.id(), visitor, "고객", NOW).customerId();
    return new Setup(t, card, customer);
  }

  private static int conversations(TestDatabase.Url url, long customer) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM conversation WHERE customer_id = ?")) {
      ps.setLong(1, customer);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
