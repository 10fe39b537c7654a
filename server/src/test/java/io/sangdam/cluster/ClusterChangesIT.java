package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.benmanes.caffeine.cache.Ticker;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sangdam.RemoteChanges;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Secrets;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.bot.BotEditor;
import io.sangdam.bot.CachedBotLibrary;
import io.sangdam.bot.FaqItem;
import io.sangdam.bot.faq.FaqEntry;
import io.sangdam.changes.Change;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.presence.Sessions;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuditLog;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcPasswordStore;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcWebhookOutbox;
import io.sangdam.store.JdbcWebhookStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.NatsServer;
import io.sangdam.testing.TestDatabase;
import io.sangdam.webhook.Webhook;
import io.sangdam.webhook.Webhooks;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database and one real nats-server, each with its own directory, token cache and
 * webhooks: a management change made on one reaches the other's caches over {@link ClusterChanges}
 * (without it they would see it only after 30 s, past these tests' waits), and garbage on the
 * subject is counted and dropped without holding up the changes after it.
 */
@ExtendWith(TestDatabase.class)
class ClusterChangesIT {
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir
  Path natsDir;
  private NatsServer nats;
  private HttpServer receiver;
  /** The events the webhook receiver got, in order. */
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private final List<AutoCloseable> stops = new ArrayList<>();

  /** One node: its own pool, caches, NATS connection and bus on the shared database. */
  private record Peer(Directory directory, Authenticator auth, Webhooks webhooks, ClusterChanges changes,
      SimpleMeterRegistry registry, BotEditor bots, CachedBotLibrary botLibrary) {
    double dropped() {
      return registry.counter("sangdam.cluster.changes.dropped").count();
    }
  }

  @BeforeEach
  void start() throws Exception {
    nats = NatsServer.start(natsDir);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      events.add(exchange.getRequestHeaders().getFirst("X-Sangdam-Event"));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = stops.size() - 1; i >= 0; i--) {
      stops.get(i).close();
    }
    receiver.stop(0);
    nats.close();
  }

  private Peer peer(TestDatabase.Url url, String name) throws Exception {
    Database db = new Database(url.url(), url.user(), url.password(), 2);
    stops.add(db);
    db.migrate();
    Connection connection = Nats.connect(nats.url());
    stops.add(connection::close);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClusterChanges changes = new ClusterChanges(connection, name, registry);
    stops.add(changes);
    Directory directory = new Directory(new JdbcDirectoryStore(db, CLOCK, new Json()), changes);
    directory.load();
    Authenticator auth = new Authenticator(new JdbcAuthStore(db), directory, new Secrets(new SecureRandom()), CLOCK,
        Ticker.systemTicker(), Duration.ofHours(1), new SecurityPolicies(new JdbcPasswordStore(db),
            new JdbcAuditLog(db, CLOCK), CLOCK, Ticker.systemTicker()));
    Webhooks webhooks = new Webhooks(new JdbcWebhookStore(db, CLOCK), new JdbcWebhookOutbox(db, name),
        id -> directory.tenant(id).map(Tenant::code).orElse(null), new Json(), CLOCK, true, changes);
    stops.add(webhooks);
    JdbcBotStore botStore = new JdbcBotStore(db, CLOCK, new Json());
    CachedBotLibrary botLibrary = new CachedBotLibrary(botStore, new Json(), Ticker.systemTicker());
    RemoteChanges remote = new RemoteChanges(directory, auth, webhooks, new Sessions(directory, null, 5),
        botLibrary);
    changes.receive(remote, remote::catchUp);
    return new Peer(directory, auth, webhooks, changes, registry, new BotEditor(botStore, botLibrary, directory,
        changes), botLibrary);
  }

  @Test
  void aDirectoryChangeOnOneNodeReachesTheOthersSnapshot(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    Peer b = peer(url, "node-b");
    assertEquals("Acme", b.directory().tenant(acme.id()).orElseThrow().name(), "read at b's start");

    a.directory().updateTenant(acme, Optional.of("Acme Group"), Optional.empty());
    Eventually.eventually("b's snapshot has the new name", () -> b.directory().tenant(acme.id()).orElseThrow().name(),
        "Acme Group"::equals);
    a.directory().createCenter(acme, "seoul", "Seoul", Optional.empty());
    // centers() answers from the snapshot alone: the row is there because b was told.
    Eventually.eventually("b lists the new center", () -> b.directory().centers(acme.id()).size(), n -> n == 1);
  }

  @Test
  void aSignOutChangedUserOrLogoutOnOneNodeReachesTheOthersTokenCache(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Peer b = peer(url, "node-b");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    User kim = a.directory().createUser(new NewUser(acme.id(), null, "kim", "Kim", Role.TENANT_ADMIN, "x", null,
        Set.of()));
    Authenticator.Candidate candidate = b.auth().candidate(Optional.of("acme"), "kim");
    String kept = b.auth().issue(candidate).token();
    String loggedOut = b.auth().issue(candidate).token();
    assertEquals("Kim", b.auth().authenticate(kept).user().name(), "cached on b");

    // As the administrator's change does on a: the row, then the sign-ins (Server's user sessions).
    User renamed = a.directory().updateUser(kim, null, "Kim Minji", Role.TENANT_ADMIN, null, Set.of(), true);
    a.auth().refresh(renamed);
    a.changes().changed(new Change.UserChanged(kim.id()));
    Eventually.eventually("b's cached sign-in has the new name", () -> b.auth().authenticate(kept).user().name(),
        "Kim Minji"::equals);

    a.auth().logout(loggedOut);
    a.changes().changed(new Change.LoggedOut(kim.id(), Authenticator.tokenKey(loggedOut)));
    Eventually.eventually("the logged-out token stops working on b", () -> refused(b.auth(), loggedOut));
    assertEquals("Kim Minji", b.auth().authenticate(kept).user().name(), "the other token still works");

    a.auth().revokeAll(kim.id());
    a.changes().changed(new Change.SignedOut(kim.id()));
    Eventually.eventually("every token of the user stops working on b", () -> refused(b.auth(), kept));
  }

  private static boolean refused(Authenticator auth, String token) {
    try {
      auth.authenticate(token);
      return false;
    } catch (SangdamException e) {
      return e.code() == ErrorCode.UNAUTHORIZED;
    }
  }

  @Test
  void aWebhookChangeOnOneNodeReachesTheOthersCache(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Peer b = peer(url, "node-b");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    Webhook hook = a.webhooks().create(acme.id(), "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
        Set.of("conversation.started"));
    b.webhooks().publish(acme.id(), "conversation.started", Map::of);
    // Delivered: b has read the tenant's hooks, and keeps them (for 30 s).
    Eventually.eventually("b delivered the event its cached hook asks for", () -> events.contains("conversation.started"));

    a.webhooks().update(hook, Optional.empty(), Optional.of(Set.of("conversation.started", "conversation.closed")),
        Optional.empty());
    // With the old list b would drop this event at once, as no hook of the tenant asked for it.
    Eventually.eventually("b delivers the event the changed hook now asks for", () -> {
      b.webhooks().publish(acme.id(), "conversation.closed", Map::of);
      return events.contains("conversation.closed");
    });
  }

  /** B keeps a tenant's FAQ for a minute once read: a change on A reaches it through the bus, long before. */
  @Test
  void aBotChangeOnOneNodeReachesTheOthersLibrary(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Peer b = peer(url, "node-b");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    FaqItem hours = a.bots().addFaq(acme.id(), "상담 시간이 어떻게 되나요", List.of(), "평일 9시부터 6시까지예요.", true);
    assertEquals(List.of(hours.question()), b.botLibrary().faqMatcher(acme.id()).entries().stream()
        .map(FaqEntry::question).toList(), "read by b and kept");

    a.bots().updateFaq(acme.id(), hours.id(), "영업 시간이 어떻게 되나요", List.of(), "평일 9시부터 6시까지예요.", true);
    Eventually.eventually("b's library has the changed question", () -> b.botLibrary().faqMatcher(acme.id())
        .entries().get(0).question(), "영업 시간이 어떻게 되나요"::equals);
  }

  /**
   * While NATS is down nothing reaches the other node (here the changes are written to the database
   * behind the nodes' backs, as by a node cut off from NATS): when it comes back, the node catches up.
   */
  @Test
  void aNodeWhoseNatsCameBackCatchesUpWithWhatItMissed(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Peer b = peer(url, "node-b");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    User kim = a.directory().createUser(new NewUser(acme.id(), null, "kim", "Kim", Role.TENANT_ADMIN, "x", null,
        Set.of()));
    String token = b.auth().issue(b.auth().candidate(Optional.of("acme"), "kim")).token();
    Eventually.eventually("b has the tenant", () -> b.directory().tenant(acme.id()).isPresent());
    assertEquals("Kim", b.auth().authenticate(token).user().name(), "cached on b");

    nats.kill();
    // java.sql's Connection, not NATS's.
    try (java.sql.Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE tenant SET name = 'Acme Group' WHERE id = " + acme.id());
      s.executeUpdate("UPDATE auth_token SET revoked_at = NOW(3) WHERE user_id = " + kim.id());
    }
    nats.start();
    Eventually.eventually("b read the directory again", () -> b.directory().tenant(acme.id()).orElseThrow().name(),
        "Acme Group"::equals, Duration.ofSeconds(25));
    Eventually.eventually("b read the token again", () -> refused(b.auth(), token));
  }

  @Test
  void garbageOnTheSubjectIsCountedAndDroppedAndTheChangesAfterItStillArrive(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    Peer b = peer(url, "node-b");
    Tenant acme = a.directory().createTenant("acme", "Acme");
    List<String> garbage = List.of("not json", "[1,2]", "{\"v\":99,\"node\":\"node-c\",\"type\":\"webhooks\",\"tenant\":1}",
        "{\"v\":1,\"node\":\"node-c\",\"type\":\"coffee\"}",
        "{\"v\":1,\"node\":\"node-c\",\"type\":\"directory\",\"kind\":\"USER\",\"id\":\"one\"}");
    try (Connection outsider = Nats.connect(nats.url())) {
      for (String message : garbage) {
        outsider.publish(ClusterChanges.SUBJECT, message.getBytes(StandardCharsets.UTF_8));
      }
      outsider.flush(Duration.ofSeconds(5));
    }
    Eventually.eventually("b counted every bad message", b::dropped, n -> n == garbage.size());
    Eventually.eventually("a counted every bad message", a::dropped, n -> n == garbage.size());

    a.directory().updateTenant(acme, Optional.of("Acme Group"), Optional.empty());
    Eventually.eventually("b still takes a's changes", () -> b.directory().tenant(acme.id()).orElseThrow().name(),
        "Acme Group"::equals);
    assertEquals(garbage.size(), a.dropped(), "a's own changes coming back are skipped, not dropped");
    assertEquals(garbage.size(), b.dropped());
  }

  @Test
  void receivingTwiceIsRefused(TestDatabase.Url url) throws Exception {
    Peer a = peer(url, "node-a");
    assertThrows(IllegalStateException.class, () -> a.changes().receive(change -> { }, () -> { }));
  }
}
