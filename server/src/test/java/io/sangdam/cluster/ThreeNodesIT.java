package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes on one database and a real nats-server: a customer on one node, the agent on another,
 * a transfer to an agent on the third, a supervisor on the third watching; HQ sees every node.
 */
class ThreeNodesIT {
  @RegisterExtension
  static final TestCluster cluster = new TestCluster(3);

  private static TestServer a() {
    return cluster.node("node-a");
  }

  private static TestServer b() {
    return cluster.node("node-b");
  }

  private static TestServer c() {
    return cluster.node("node-c");
  }

  /** Waits until some node owns the setup's center (its id from the directory), so calls find an owner. */
  private static void awaitOwned(TestServer.Setup s) {
    Eventually.eventually("the center owned by a node", () -> {
      JsonNode view = a().http().expect(200, "GET", "/api/cluster", s.adminToken(), null);
      for (JsonNode node : view.path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          if (center.asText().equals(s.tenant() + "/seoul")) {
            return true;
          }
        }
      }
      return false;
    });
  }

  /** Whether a node of {@code view} lists {@code center}'s lease still under fence 0. */
  private static boolean hasUnfencedLease(JsonNode view, String center) {
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode lease : n.path("leases")) {
        if (lease.path("center").asText().equals(center) && lease.path("fence").asLong() == 0) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void aCustomerOnOneNodeAndTheirAgentOnAnotherChatInOrder() {
    TestServer.Setup s = a().setUp();
    awaitOwned(s);
    try (WsClient agent = b().agent(); WsClient customer = a().customer()) {
      agent.send(of("type", "hello", "rid", "h", "token", s.agentToken()));
      agent.next("welcome");
      agent.send(of("type", "status", "rid", "st", "status", "ONLINE"));
      assertEquals("ONLINE", agent.next("status").path("status").asText());

      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동"));
      customer.next("welcome");
      customer.send(of("type", "start", "rid", "r1", "queue", "card"));
      long id = customer.next("started").path("conversation").path("id").asLong();
      assertEquals(id, customer.next("assigned").path("conversation").asLong());
      assertEquals(id, agent.next("assigned").path("conversation").path("id").asLong());

      for (int i = 1; i <= 5; i++) {
        customer.send(of("type", "send", "conversation", id, "cmid", "c" + i, "text", "고객 " + i));
        agent.send(of("type", "send", "conversation", id, "cmid", "a" + i, "text", "상담사 " + i));
      }
      List<JsonNode> atCustomer = frames(customer, 5, 5);
      List<JsonNode> atAgent = frames(agent, 5, 5);
      Set<Long> seqs = new HashSet<>();
      for (List<JsonNode> frames : List.of(atCustomer, atAgent)) {
        assertAcksFollowEarlierPushes(frames);
        frames.stream().filter(m -> m.path("type").asText().equals("ack"))
            .forEach(m -> assertTrue(seqs.add(m.path("seq").asLong()), "seq " + m + " given twice"));
      }
      assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seqs, "gapless, each once, from two nodes at once");

      customer.send(of("type", "typing", "conversation", id));
      assertEquals("customer", agent.next("typing").path("from").asText());
      agent.send(of("type", "read", "conversation", id, "seq", 10));
      assertEquals(10, customer.next("read").path("seq").asLong());

      agent.send(of("type", "close", "rid", "bye", "conversation", id));
      agent.next("closed");
      assertEquals(id, customer.next("closed").path("conversation").asLong());
    }
  }

  /** The next {@code acks} acks and {@code pushes} message pushes a socket gets, in the order they came. */
  private static List<JsonNode> frames(WsClient socket, int acks, int pushes) {
    List<JsonNode> frames = new java.util.ArrayList<>();
    int acked = 0;
    int pushed = 0;
    while (acked < acks || pushed < pushes) {
      JsonNode m = socket.next();
      String type = m.path("type").asText();
      if (type.equals("ack")) {
        acked++;
      } else if (type.equals("message")) {
        pushed++;
      } else {
        continue;
      }
      frames.add(m);
    }
    return frames;
  }

  /**
   * Pushes come in seq order, and an ack never overtakes a push of a message stored before it: every
   * push with a lower seq than an ack's came before that ack. (An ack may come after pushes of later
   * messages: the other side's sends are not held back for it.)
   */
  private static void assertAcksFollowEarlierPushes(List<JsonNode> frames) {
    long lastPush = 0;
    for (int i = 0; i < frames.size(); i++) {
      JsonNode m = frames.get(i);
      long seq = m.path("seq").asLong();
      if (m.path("type").asText().equals("message")) {
        assertTrue(seq > lastPush, "pushes in seq order: " + seq + " after " + lastPush);
        lastPush = seq;
        continue;
      }
      for (JsonNode later : frames.subList(i + 1, frames.size())) {
        assertTrue(!later.path("type").asText().equals("message") || later.path("seq").asLong() > seq,
            "the ack of " + seq + " overtook the push of " + later.path("seq").asLong() + ": " + frames);
      }
    }
  }

  @Test
  void aTransferReachesAnAgentOnAThirdNodeWhileASupervisorThereWatches() {
    TestServer.Setup s = a().setUp();
    awaitOwned(s);
    a().http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lee",
        "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    a().http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "park",
        "password", TestServer.STAFF_PASSWORD, "name", "박매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    try (WsClient kim = b().agent(); WsClient customer = a().customer(); WsClient lee = c().agent();
        WsClient park = c().agent()) {
      long id = b().assignedChat(s, kim, customer);
      String parkToken = c().http().login(s.tenant(), "park", TestServer.STAFF_PASSWORD);
      park.send(of("type", "hello", "token", parkToken)).next("welcome");
      JsonNode watching = park.send(of("type", "watch", "rid", "w", "conversation", id)).next("watching");
      assertEquals(id, watching.path("conversation").path("id").asLong());
      lee.send(of("type", "hello", "token", c().http().login(s.tenant(), "lee", "agent-pass-2"))).next("welcome");
      lee.send(of("type", "status", "status", "ONLINE")).next("status");
      // lee's ONLINE reaches the center's owner a moment after lee hears it back on node c; a transfer to lee
      // asked before that is refused as "not online" (routing owns the truth). The owner's board shows when it knew.
      Eventually.eventually("lee ONLINE at seoul's owner", () -> statusOnBoard(b(), parkToken, "lee"),
          "ONLINE"::equals);

      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "카드 분실 신고요")).next("ack");
      assertEquals("카드 분실 신고요", kim.next("message").path("text").asText());
      assertEquals("카드 분실 신고요", park.next("message").path("text").asText(), "the supervisor on node c sees it");

      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toAgent", "lee", "note", "분실 담당"));
      assertEquals(id, kim.next("transferred").path("conversation").asLong());
      JsonNode toLee = lee.next("assigned");
      assertEquals(id, toLee.path("conversation").path("id").asLong());
      assertEquals("lee", toLee.path("conversation").path("agent").path("username").asText());
      assertEquals("이상담", customer.next("assigned").path("agent").path("name").asText());

      JsonNode handedOver = customer.next("message");
      assertEquals(2, handedOver.path("seq").asLong());
      assertEquals("system", handedOver.path("from").asText());
      lee.send(of("type", "send", "conversation", id, "cmid", "l-1", "text", "이어서 도와드리겠습니다"));
      assertEquals(3, lee.until("ack").path("seq").asLong());
      JsonNode atCustomer = customer.next("message");
      assertEquals(3, atCustomer.path("seq").asLong());
      assertEquals("이상담", atCustomer.path("name").asText());
      assertEquals(2, park.next("message").path("seq").asLong());
      assertEquals(3, park.next("message").path("seq").asLong());
    }
  }

  /** The node owning a center of the setup's tenant, "" while nobody does. */
  private static String ownerOf(TestServer.Setup s, String center) {
    JsonNode view = a().http().expect(200, "GET", "/api/cluster", s.adminToken(), null);
    for (JsonNode node : view.path("nodes")) {
      for (JsonNode owned : node.path("centers")) {
        if (owned.asText().equals(s.tenant() + "/" + center)) {
          return node.path("name").asText();
        }
      }
    }
    return "";
  }

  @Test
  void aTransferToAQueueOfACenterAnotherNodeOwnsIsRoutedThere() {
    TestServer.Setup s = a().setUp();
    awaitOwned(s);
    String seoulOwner = ownerOf(s, "seoul");
    String base = "/api/tenants/" + s.tenant();
    // Centers are spread over the nodes: one of a few new ones lands on another node than seoul.
    String other = null;
    for (int i = 0; i < 6 && other == null; i++) {
      String center = "c" + i;
      a().http().expect(201, "POST", base + "/centers", s.adminToken(), of("code", center, "name", center));
      a().http().expect(201, "POST", base + "/centers/" + center + "/queues", s.adminToken(),
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 2));
      String owner = Eventually.eventually(center + " owned", () -> ownerOf(s, center), o -> !o.isEmpty());
      if (!owner.equals(seoulOwner)) {
        other = center;
      }
    }
    assertTrue(other != null, "every new center went to " + seoulOwner);
    a().http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "lee", "password", "agent-pass-2",
        "name", "이상담", "role", "AGENT", "center", other, "queues", List.of("card")));
    try (WsClient kim = b().agent(); WsClient customer = a().customer(); WsClient lee = c().agent()) {
      long id = b().assignedChat(s, kim, customer);
      lee.send(of("type", "hello", "token", c().http().login(s.tenant(), "lee", "agent-pass-2"))).next("welcome");
      lee.send(of("type", "status", "status", "ONLINE")).next("status");

      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toQueue", other + "/card"));
      assertEquals(id, kim.until("transferred").path("conversation").asLong());
      JsonNode toLee = lee.until("assigned");
      assertEquals(id, toLee.path("conversation").path("id").asLong(), "routed by " + other + "'s owner");
      assertEquals(other, toLee.path("conversation").path("center").asText());
      assertEquals("이상담", customer.until("assigned").path("agent").path("name").asText());

      long seq = lee.send(of("type", "send", "conversation", id, "cmid", "l-1", "text", "부산에서 이어받았습니다"))
          .until("ack").path("seq").asLong();
      JsonNode heard = customer.until("message");
      while (heard.path("seq").asLong() < seq) {
        heard = customer.until("message");
      }
      assertEquals("부산에서 이어받았습니다", heard.path("text").asText());
      lee.send(of("type", "close", "rid", "bye", "conversation", id)).until("closed");
      assertEquals(id, customer.until("closed").path("conversation").asLong());
    }
  }

  /** The status of {@code username} on the live board of the manager's one center, as {@code node} shows it. */
  private static String statusOnBoard(TestServer node, String managerToken, String username) {
    for (JsonNode agent : node.http().expect(200, "GET", "/api/dashboard", managerToken, null).path("tenants").get(0)
        .path("centers").get(0).path("agentDetails")) {
      if (agent.path("username").asText().equals(username)) {
        return agent.path("status").asText();
      }
    }
    return "absent";
  }

  /** A node's count of sessions of agents (the gauge is labelled with the node), -1 when absent. */
  private static double agentSessions(TestServer node) {
    String text = new String(node.http().download("/metrics", null).body(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "(?m)^sangdam_sessions\\{[^}]*kind=\"agent\"[^}]*\\} (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void anAgentStillAtWorkOnAnotherNodeStaysRoutableWhenTheirSessionOnOneNodeEnds() {
    TestServer.Setup s = a().setUp();
    awaitOwned(s);
    try (WsClient onC = c().agent(); WsClient customer = b().customer()) {
      WsClient onB = b().agent();
      onB.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      onB.send(of("type", "status", "status", "ONLINE")).next("status");
      onC.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      onC.send(of("type", "status", "status", "ONLINE")).next("status");
      onB.close();
      Eventually.eventually("node b has no agent session left",
          () -> agentSessions(b()) == 0);
      // Node b told the center's routing that its last session of the agent ended before this start,
      // which it carries to the owner after that: the agent, ONLINE on node c, must still be routed to.
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      assertEquals(id, onC.until("assigned").path("conversation").path("id").asLong());
      assertEquals(id, customer.until("assigned").path("conversation").asLong());
    }
  }

  @Test
  void aSecondNodeWithALiveNodesNameRefusesToStart() {
    TestServer twin = cluster.another("node-b");
    try {
      IllegalStateException refused = assertThrows(IllegalStateException.class, twin::start);
      assertTrue(refused.getMessage().contains("a node named node-b is already running"), refused.getMessage());
    } finally {
      twin.stop();
    }
  }

  @Test
  void everyNodeListsEveryNodeAndEachCenterHasOneOwner() {
    TestServer.Setup s = a().setUp();
    awaitOwned(s);
    for (TestServer node : cluster.nodes()) {
      // A center's lease shows fence 0 until the database gave it one (CenterOwnerTable): wait for each node to see it.
      JsonNode view = Eventually.eventually("the center's lease with its fence on " + node,
          () -> node.http().expect(200, "GET", "/api/cluster", s.adminToken(), null),
          v -> !hasUnfencedLease(v, s.tenant() + "/seoul"));
      assertTrue(view.path("clustered").asBoolean());
      assertTrue(view.path("nats").path("connected").asBoolean());
      assertEquals(3, view.path("nodes").size(), view.toString());
      int owners = 0;
      for (JsonNode n : view.path("nodes")) {
        for (JsonNode lease : n.path("leases")) {
          if (lease.path("center").asText().equals(s.tenant() + "/seoul")) {
            owners++;
            assertTrue(lease.path("fence").asLong() >= 1, lease.toString());
            assertTrue(lease.path("renewedAgoMs").asLong() < 10_000, "renewed within its lease: " + lease);
            assertTrue(n.path("centers").toString().contains(s.tenant() + "/seoul"), n.toString());
          }
        }
      }
      assertEquals(1, owners, view.toString());
    }
  }
}
