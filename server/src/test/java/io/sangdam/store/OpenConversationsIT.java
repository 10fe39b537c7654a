package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a node reads when it takes up one center: that center's open conversations, with their last seq, and no other's. */
@ExtendWith(TestDatabase.class)
class OpenConversationsIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Test
  void oneCentersOpenConversationsWithTheirLastSeq(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2);
        MessageWriter writer = new MessageWriter(db, 100, new SimpleMeterRegistry())) {
      db.migrate();
      writer.start();
      JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new Json());
      JdbcChatStore chats = new JdbcChatStore(db);
      Tenant t = directory.insertTenant("o", "O");
      Center seoul = directory.insertCenter(t.id(), "seoul", "서울", "UTC");
      Center busan = directory.insertCenter(t.id(), "busan", "부산", "UTC");
      Queue card = directory.insertQueue(seoul.id(), new NewQueue("card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0,
          false, null, null));
      Queue busanCard = directory.insertQueue(busan.id(), new NewQueue("card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0,
          false, null, null));
      long customer = new JdbcAuthStore(db).insertVisitor(t.id(), new byte[32], "고객", NOW).customerId();
      long waiting = chats.insertConversation(t.id(), seoul.id(), card.id(), customer, "고객", 0, NOW, null).id();
      long ended = chats.insertConversation(t.id(), seoul.id(), card.id(), customer, "고객", 0, NOW, null).id();
      chats.markEnded(ended, ConversationState.ABANDONED, "abandoned", NOW);
      long elsewhere = chats.insertConversation(t.id(), busan.id(), busanCard.id(), customer, "고객", 0, NOW, null).id();
      for (int i = 1; i <= 3; i++) {
        writer.append(new NewMessage(waiting, SenderKind.CUSTOMER, customer, "c-" + i, "문의 " + i, NOW)).join();
      }

      Map<Long, Conversation> inSeoul = chats.openConversations(seoul.id()).stream()
          .collect(Collectors.toMap(Conversation::id, c -> c));
      List<Long> inBusan = chats.openConversations(busan.id()).stream().map(Conversation::id).toList();

      assertEquals(List.of(waiting), List.copyOf(inSeoul.keySet()));
      assertEquals(3, inSeoul.get(waiting).lastSeq());
      assertEquals(ConversationState.WAITING, inSeoul.get(waiting).state());
      assertEquals(List.of(elsewhere), inBusan);
    }
  }
}
