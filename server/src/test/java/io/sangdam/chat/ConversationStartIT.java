package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.auth.Secrets;
import io.sangdam.auth.Visitors;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Json;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.Routing;
import io.sangdam.routing.ScheduledTimers;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcChatStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.MessageWriter;
import io.sangdam.testing.TestDatabase;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A new conversation is routed even when announcing it fails: the announcement and routing do not depend on each other. */
@ExtendWith(TestDatabase.class)
class ConversationStartIT {

  @Test
  void aConversationWhoseAnnouncementFailsIsRoutedAllTheSame(TestDatabase.Url url) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (Database db = new Database(url.url(), url.user(), url.password(), 4)) {
      db.migrate();
      Clock clock = Clock.systemUTC();
      Directory directory = new Directory(new JdbcDirectoryStore(db, clock, new Json()), new LocalChanges());
      Tenant tenant = directory.createTenant("acme", "Acme");
      Center center = directory.createCenter(tenant, "seoul", "서울", Optional.empty());
      Queue queue = directory.createQueue(center, new NewQueue("card", "카드", RoutingPolicy.LEAST_BUSY, 3, 0, false,
          null, null));
      User kim = directory.createUser(new NewUser(tenant.id(), center.id(), "kim", "김상담", Role.AGENT, "-", null,
          Set.of(queue.id())));
      long customer = new Visitors(new JdbcAuthStore(db), new Secrets(new SecureRandom()), clock)
          .identify(tenant.id(), Optional.empty(), Optional.of("홍길동"), Optional.empty(), Optional.empty())
          .visitor().customerId();
      ScheduledTimers timers = new ScheduledTimers(scheduler);
      Routing routing = new Routing(directory::queue, id -> Duration.ofMinutes(2), pool, clock, timers,
          (centerId, agent, status, reason, at) -> { });
      CompletableFuture<Conversation> seenAssigned = new CompletableFuture<>();
      ConversationEvents events = new InProcessConversationEvents(pool);
      events.subscribe(e -> {
        if (e instanceof ConversationEvent.Assigned a) {
          seenAssigned.complete(a.conversation());
        }
      });
      try (MessageWriter writer = new MessageWriter(db, 100, new SimpleMeterRegistry())) {
        JdbcChatStore store = new JdbcChatStore(db);
        LiveConversations live = new LiveConversations();
        ConversationLookup lookup = new ConversationLookup(live, store, pool);
        Transcript transcript = new Transcript(live, writer, events, clock);
        Closing closing = new Closing(live, store, writer, routing, events, lookup, pool, clock);
        Inactivity inactivity = new Inactivity(live, transcript, closing, events,
            id -> new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(5)), timers, pool);
        Requeue requeue = new Requeue(live, store, routing, transcript, inactivity, events, lookup, Handoffs.ALONE,
            pool, clock);
        Assignments assignments = new Assignments(live, store, routing, requeue, inactivity, events, directory::queue,
            pool, clock);
        ConversationStart chat = new ConversationStart(live, store, transcript, routing, events, pool, clock);
        writer.start();
        new CenterOwnership(live, store, transcript, routing, assignments, inactivity, centerId -> { }, pool).recover();
        routing.agentAvailable(new AgentProfile(kim.id(), center.id(), Set.of(queue.id()), 3));

        CompletableFuture<Conversation> started = chat.start(tenant.id(), queue, customer, "홍길동", Optional.empty(),
            0, c -> {
              throw new IllegalStateException("the customer's socket could not be written");
            });

        Conversation assigned = seenAssigned.get(10, TimeUnit.SECONDS);
        assertEquals(started.get(10, TimeUnit.SECONDS).id(), assigned.id());
        assertEquals(kim.id(), assigned.agentId());
      }
    } finally {
      scheduler.shutdownNow();
      pool.shutdownNow();
    }
  }
}
