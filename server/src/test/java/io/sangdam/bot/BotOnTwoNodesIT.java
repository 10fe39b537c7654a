package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bot on two nodes: the customer talks to node-b while node-a owns the center the bot greets in, so every turn of
 * the bot runs on node-a, once, and its words reach the customer on node-b; the hand-off goes to a queue of the
 * center node-b owns, where its agent is offered it.
 */
class BotOnTwoNodesIT {
  private static final String TENANT = "botnodes";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2)
      .on("node-a", "cluster.centers", TENANT + "/seoul")
      .on("node-b", "cluster.centers", TENANT + "/busan");

  private static final String SCENARIO = """
      {"name": "상담봇", "start": "menu", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?", "buttons": [
           {"id": "loan", "label": "대출 상담", "next": "agent"}]},
         {"id": "agent", "type": "handoff", "text": "부산 센터로 연결합니다.", "center": "busan", "queue": "loan"}
       ]}
      """;

  @BeforeAll
  static void twoCentersOnTwoNodesWithABot() {
    TestServer a = cluster.node("node-a");
    Http http = a.http();
    String admin = a.adminToken();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Bot nodes"));
    for (String center : List.of("seoul", "busan")) {
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", center, "name", center));
    }
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/busan/queues", admin,
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "lee", "password",
        "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "busan", "queues", List.of("loan")));
    greetsAt(a, "seoul");
    Eventually.eventually("seoul owned by node-a and busan by node-b", () -> {
      JsonNode view = a.http().expect(200, "GET", "/api/cluster", admin, null);
      boolean seoul = false;
      boolean busan = false;
      for (JsonNode node : view.path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          seoul |= node.path("name").asText().equals("node-a") && center.asText().equals(TENANT + "/seoul");
          busan |= node.path("name").asText().equals("node-b") && center.asText().equals(TENANT + "/busan");
        }
      }
      return seoul && busan;
    });
  }

  /** {@link #SCENARIO} greets at the queue card of {@code center}, saved through the bot's own store. */
  private static void greetsAt(TestServer node, String center) {
    Json json = new Json();
    var url = node.database();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2, node.fieldCipher())) {
      Directory directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), json), new LocalChanges());
      directory.load();
      JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), json);
      BotEditor editor = new BotEditor(store, new CachedBotLibrary(store, json, Ticker.systemTicker()), directory,
          new LocalChanges());
      Tenant tenant = directory.tenantByCode(TENANT).orElseThrow();
      Center at = directory.center(tenant.id(), center).orElseThrow();
      Queue card = directory.queue(at.id(), "card").orElseThrow();
      SavedScenario saved = editor.create(tenant.id(), json.readObject(SCENARIO), SCENARIO, null, null);
      editor.setEntry(tenant.id(), BotEditor.Place.queue(at.id(), card.id()), saved.id(), null);
    }
  }

  /**
   * The crash window across an owner change: the customer's message is stored by the center's owner (node-z), which
   * stops before the bot's turn on it runs (the row is written just before the stop, as node-z wrote it). The node
   * that takes the center up answers it, once, in order; the customer on node-b hears the answer, and the hand-off
   * it leads to reaches the agent.
   */
  @Test
  void aMessageWhoseTurnNeverRanIsAnsweredByTheNodeThatTakesTheCenterUp() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    String admin = a.adminToken();
    a.http().expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "daegu", "name", "대구"));
    a.http().expect(201, "POST", "/api/tenants/" + TENANT + "/centers/daegu/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    greetsAt(a, "daegu");
    TestServer owner = cluster.another("node-z").with("cluster.centers", TENANT + "/daegu");
    owner.start();
    boolean stopped = false;
    try (WsClient lee = b.agent(); WsClient customer = b.customer()) {
      Eventually.eventually("node-z, which prefers it, owns daegu",
          () -> ownerOf(a, admin, TENANT + "/daegu").equals("node-z"));
      lee.send(of("type", "hello", "token", b.http().login(TENANT, "lee", "agent-pass-2"))).next("welcome");
      lee.send(of("type", "status", "status", "ONLINE")).until("status");
      customer.send(of("type", "hello", "tenant", TENANT, "center", "daegu")).next("welcome");
      JsonNode started = customer.send(of("type", "start", "queue", "card")).until("started");
      assertEquals("BOT", started.path("conversation").path("state").asText(), started::toString);
      long id = started.path("conversation").path("id").asLong();
      assertEquals(1, customer.until("message").path("seq").asLong(), "greeted by node-z");

      var url = a.database();
      try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
          PreparedStatement ps = c.prepareStatement("""
              INSERT INTO message (conversation_id, seq, sender_kind, sender_id, cmid, body, created_at, button)
              SELECT id, 2, 'CUSTOMER', customer_id, 'z1', '대출 상담', NOW(3), 'loan' FROM conversation WHERE id = ?
              """)) {
        ps.setLong(1, id);
        assertEquals(1, ps.executeUpdate());
      }
      owner.stop();
      stopped = true;

      JsonNode answer = customer.until("message");
      assertEquals(3, answer.path("seq").asLong(), answer::toString);
      assertEquals("부산 센터로 연결합니다.", answer.path("text").asText(), answer::toString);
      JsonNode assigned = lee.until("assigned");
      while (assigned.path("conversation").path("id").asLong() != id) {
        assigned = lee.until("assigned"); // another test's conversation may be offered to lee first
      }
      assertEquals("1 BOT 무엇을 도와드릴까요?\n2 CUSTOMER 대출 상담\n3 BOT 부산 센터로 연결합니다.\n", transcript(b, id),
          "answered once, by the node that took daegu up");
    } finally {
      if (!stopped) {
        owner.stop();
      }
    }
  }

  private static String ownerOf(TestServer node, String admin, String center) {
    JsonNode view = node.http().expect(200, "GET", "/api/cluster", admin, null);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode c : n.path("centers")) {
        if (c.asText().equals(center)) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  @Test
  void theBotRunsOnTheCentersOwnerOnceAndHandsOffToACenterOfAnotherNode() throws Exception {
    TestServer b = cluster.node("node-b");
    try (WsClient lee = b.agent(); WsClient customer = b.customer()) {
      lee.send(of("type", "hello", "token", b.http().login(TENANT, "lee", "agent-pass-2"))).next("welcome");
      lee.send(of("type", "status", "status", "ONLINE")).until("status");
      customer.send(of("type", "hello", "tenant", TENANT, "center", "seoul", "name", "홍길동")).next("welcome");
      customer.send(of("type", "start", "queue", "card"));
      JsonNode started = customer.until("started");
      assertEquals("BOT", started.path("conversation").path("state").asText(), started::toString);
      long id = started.path("conversation").path("id").asLong();
      // node-a's events reach this customer on node-b: the greeting, with its buttons.
      JsonNode greeting = customer.until("message");
      assertEquals(1, greeting.path("seq").asLong(), greeting::toString);
      assertEquals("loan", greeting.path("buttons").get(0).path("id").asText(), greeting::toString);
      customer.send(of("type", "send", "conversation", id, "cmid", "c1", "text", "대출 상담", "button", "loan"));
      // The bot's answer is stored by node-a right after the customer's message: it may reach node-b before the ack.
      JsonNode ack = null;
      JsonNode handOff = null;
      while (ack == null || handOff == null) {
        JsonNode m = customer.next();
        if (m.path("type").asText().equals("ack")) {
          ack = m;
        } else if (m.path("type").asText().equals("message")) {
          handOff = m;
        }
      }
      assertEquals(2, ack.path("seq").asLong(), ack::toString);
      assertEquals("부산 센터로 연결합니다.", handOff.path("text").asText(), handOff::toString);
      JsonNode assigned = lee.until("assigned");
      while (assigned.path("conversation").path("id").asLong() != id) {
        assigned = lee.until("assigned"); // another test's conversation may be offered to lee first
      }
      assertEquals("1 BOT 무엇을 도와드릴까요?\n2 CUSTOMER 대출 상담\n3 BOT 부산 센터로 연결합니다.\n", transcript(b, id),
          "each turn once, in order");
    }
  }

  private static String transcript(TestServer node, long id) {
    var url = node.database();
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("SELECT seq, sender_kind, body FROM message "
            + "WHERE conversation_id = ? ORDER BY seq")) {
      ps.setLong(1, id);
      ResultSet rs = ps.executeQuery();
      StringBuilder transcript = new StringBuilder();
      while (rs.next()) {
        transcript.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
            .append('\n');
      }
      return transcript.toString();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
