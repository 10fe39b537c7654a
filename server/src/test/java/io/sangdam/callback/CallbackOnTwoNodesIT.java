package io.sangdam.callback;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callback requests on two nodes sharing a database: a request left on one node reaches the consoles of the agents
 * serving its queue on the other (over the cluster's change subject), and two agents claiming at once on different
 * nodes never both win.
 */
class CallbackOnTwoNodesIT {
  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2);

  private static final ExecutorService racers = Executors.newFixedThreadPool(2);

  @AfterAll
  static void stopRacers() {
    racers.shutdownNow();
  }

  @Test
  void aRequestOnOneNodeReachesTheAgentsOnTheOtherAndOneClaimWinsAcrossNodes() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    TestServer.Setup s = a.setUp();
    String t = "/api/tenants/" + s.tenant();
    a.http().expect(201, "POST", t + "/users", s.adminToken(), of("username", "lee", "password", TestServer.STAFF_PASSWORD,
        "name", "이상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    String lee = a.http().login(s.tenant(), "lee", TestServer.STAFF_PASSWORD);
    List<Long> ids = new ArrayList<>();
    try (WsClient kimOnB = b.agent(); WsClient customer = a.customer()) {
      kimOnB.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      String slot = customer.send(of("type", "callbackSlots", "rid", "s")).next("callbackSlots").path("slots").get(0)
          .asText();
      for (int i = 0; i < 6; i++) {
        ids.add(customer.send(of("type", "callback", "rid", "r" + i, "queue", "card", "slot", slot, "phone",
            "010-4444-55" + (10 + i), "clientId", "two-" + i)).next("callbackStored").path("callback").asLong());
        kimOnB.until("callbacksChanged");
      }
      for (long id : ids) {
        Future<Http.Response> kim = racers.submit(() -> b.http().send("POST", t + "/callbacks/" + id + "/claim",
            s.agentToken(), null));
        Future<Http.Response> other = racers.submit(() -> a.http().send("POST", t + "/callbacks/" + id + "/claim",
            lee, null));
        List<Http.Response> answers = List.of(kim.get(30, TimeUnit.SECONDS), other.get(30, TimeUnit.SECONDS));
        assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), answers.toString());
        assertEquals(1, answers.stream().filter(r -> r.errorCode().equals("already_taken")).count(),
            answers.toString());
        // Whoever won, the claim is news to kim's console on node b.
        kimOnB.until("callbacksChanged");
      }
    }
    assertEquals(6, a.http().expect(200, "GET", t + "/callbacks?state=CLAIMED", s.adminToken(), null).size());
  }
}
