package io.sangdam.search;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on one database and a real nats-server, each with its own index: a message written through one node is
 * found by a search on the other at once (the search reads what is new before it looks), and an erasure done on one
 * leaves the other's index as well.
 */
class TextSearchOnTwoNodesIT {
  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2);

  @Test
  void eachNodeFindsWhatTheOtherStoredAndDropsWhatTheOtherErased() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    TestServer.Setup s = a.setUp();
    long first = visit(a, s.tenant(), "적금 해지하고 싶어요");
    assertEquals(List.of(first), TextSearchIT.found(b, s.tenant(), s.adminToken(), "해지"));
    long second = visit(b, s.tenant(), "적금 만기 해지");
    assertEquals(List.of(second, first), TextSearchIT.found(a, s.tenant(), s.adminToken(), "적금"));
    assertEquals(List.of(second), TextSearchIT.found(a, s.tenant(), s.adminToken(), "만기"));

    long customer = a.http().expect(200, "GET", "/api/conversations/" + first, s.adminToken(), null)
        .path("customer").path("id").asLong();
    a.http().expect(200, "POST", "/api/tenants/" + s.tenant() + "/customers/" + customer + "/erasure",
        s.adminToken(), of("reason", "정보주체 삭제 요청"));
    assertEquals(List.of(second), TextSearchIT.found(b, s.tenant(), s.adminToken(), "적금"));
    assertEquals(0, TextSearchIT.indexed(b.searchIndexDir(), first), "the other node's index dropped it too");
    assertTrue(TextSearchIT.indexed(b.searchIndexDir(), second) > 0, "what stays is in its commit");
  }

  /** A customer on {@code node} starts, writes {@code text} and leaves before an agent takes it. */
  private static long visit(TestServer node, String tenant, String text) {
    try (WsClient c = node.customer()) {
      c.send(of("type", "hello", "tenant", tenant, "center", "seoul")).until("welcome");
      long id = c.send(of("type", "start", "queue", "card")).until("started").path("conversation").path("id")
          .asLong();
      c.send(of("type", "send", "conversation", id, "cmid", "c1", "text", text)).until("ack");
      c.send(of("type", "leave", "conversation", id)).until("closed");
      return id;
    }
  }
}
