package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.changes.LocalChanges;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.Category;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.Routing;
import io.sangdam.routing.RoutingListener;
import io.sangdam.routing.Position;
import io.sangdam.testing.InMemoryAwayReasonStore;
import io.sangdam.testing.InMemoryDirectoryStore;
import io.sangdam.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What a frame handler's test needs around it, in memory: one tenant (acme) with a center (seoul)
 * and a queue (billing), an agent (kim), a center manager (lee) and a tenant admin (park); the
 * registry; and sessions on in-memory outbounds, let in as if their {@code hello} was answered.
 * Work handed to an executor runs at once, so every answer is sent when the handler returns.
 */
final class Desk {
  static final Executor AT_ONCE = Runnable::run;

  final Json json = new Json();
  final ManualTime time = new ManualTime(Instant.parse("2026-12-02T01:00:00Z"));
  final InMemoryDirectoryStore rows = new InMemoryDirectoryStore();
  final Directory directory = new Directory(rows, new LocalChanges());
  final Routing routing = new Routing(directory::queue, id -> Duration.ofMinutes(1), AT_ONCE, time, time,
      (center, agent, status, reason, at) -> { });
  final Sessions sessions = new Sessions(directory, routing, 3);
  final AwayReasons awayReasons = new AwayReasons(new InMemoryAwayReasonStore(), AT_ONCE);

  Desk() {
    directory.load();
    routing.start(new NothingWaits());
  }

  /** A row changed beside the directory (by another node, say): the directory reads it again, as its refresh does. */
  Center put(Center row) {
    return reloaded(rows.put(row));
  }

  Queue put(Queue row) {
    return reloaded(rows.put(row));
  }

  User put(User row) {
    return reloaded(rows.put(row));
  }

  Category put(Category row) {
    return reloaded(rows.put(row));
  }

  private <T> T reloaded(T row) {
    directory.load();
    return row;
  }

  /** Routing's decisions: nothing waits in these tests, so routing has none to hand over. */
  private static final class NothingWaits implements RoutingListener {
    @Override
    public void assign(long centerId, long conversationId, long agentId, boolean picked) {
      throw new AssertionError("nothing waits to be assigned");
    }

    @Override
    public void positions(List<Position> changed) {}

    @Override
    public void overflow(long conversationId, long targetQueueId) {
      throw new AssertionError("nothing waits to overflow");
    }

    @Override
    public void agentGone(long centerId, long agentId, List<Long> conversationIds) {}

    @Override
    public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {}
  }
  final Tenant acme = rows.put(new Tenant(1, "acme", "Acme", "ACTIVE"));
  final Center seoul = rows.put(new Center(10, 1, "seoul", "Seoul", "Asia/Seoul", null, CenterSettings.DEFAULTS,
      true));
  final Queue billing = rows.put(new Queue(100, 10, "billing", "Billing", RoutingPolicy.LEAST_BUSY, 3, 0, false,
      null, null, true));
  final User kim = rows.put(new User(1000, 1L, 10L, "kim", "Kim", Role.AGENT, null, Set.of(100L), true));
  final User lee = rows.put(new User(1001, 1L, 10L, "lee", "Lee", Role.CENTER_MANAGER, null, Set.of(100L), true));
  final User park = rows.put(new User(1002, 1L, null, "park", "Park", Role.TENANT_ADMIN, null, Set.of(), true));
  private long ids;

  /** A console of {@code user}, signed in with the token "token-of-" + username. */
  AgentSession agent(User user, InMemoryOutbound out) {
    AgentSession s = new AgentSession(++ids, out, json, new RateLimiter(100, 100, System::nanoTime), sessions, null,
        time);
    s.signedIn(new Principal(user, "acme", user.centerId() == null ? null : "seoul"), "token-of-" + user.username());
    return s;
  }

  /** The widget of customer {@code customerId} ("Hong") in acme/seoul. */
  CustomerSession customer(long customerId, InMemoryOutbound out) {
    CustomerSession s = new CustomerSession(++ids, out, json, new RateLimiter(100, 100, System::nanoTime), sessions,
        null);
    s.joined(new CustomerSession.Identity(customerId, "Hong", acme, seoul, false));
    return s;
  }

  /** Conversation {@code id} of customer 7 (Hong) in seoul/billing, with {@code agentId} (or none), 3 messages long. */
  Conversation conversation(long id, Long agentId, ConversationState state) {
    Instant at = time.instant();
    return new Conversation(id, 1, 10, 100, 7, "Hong", agentId, state, 0, at, at, agentId == null ? null : at, 3,
        agentId != null, "web");
  }

  Fields frame(String text) {
    return new Fields(json.parseObject(text));
  }

  JsonNode rid(Fields frame) {
    return frame.node().get("rid");
  }

  /** The message as the client reads it. */
  JsonNode wire(ServerMessage m) {
    return json.parseObject(new String(json.write(m), StandardCharsets.UTF_8));
  }

  /** The only message sent to {@code out}, as the client reads it. */
  JsonNode only(InMemoryOutbound out) {
    assertEquals(1, out.messages.size(), out.messages.toString());
    return wire(out.messages.get(0));
  }

  /** Asserts {@code out} got exactly one message, an error with {@code code} answering {@code rid}. */
  void assertError(InMemoryOutbound out, String code, String rid) {
    JsonNode error = only(out);
    assertEquals("error", error.path("type").asText(), error.toString());
    assertEquals(code, error.path("code").asText(), error.toString());
    assertEquals(rid, error.path("rid").asText(), error.toString());
  }
}
