package io.sangdam.presence;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One customer or user has at most {@code limits.wsConnectionsPerIdentity} sessions: each may hold
 * its output budget, and a customer's message goes to every one of them, so many sockets of one
 * identity that never read would otherwise hold many budgets.
 */
class SessionsPerIdentityIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("limits.wsConnectionsPerIdentity", "3");

  @Test
  void aCustomersFourthSessionIsRefusedWith4409AndTheOthersStay() {
    TestServer.Setup s = server.setUp();
    List<WsClient> windows = new ArrayList<>();
    try {
      WsClient first = server.customer();
      windows.add(first);
      String visitor = first.send(of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .next("welcome").path("visitor").asText();
      for (int i = 0; i < 2; i++) {
        WsClient more = server.customer();
        windows.add(more);
        more.send(of("type", "hello", "tenant", s.tenant(), "center", s.center(), "visitor", visitor)).next("welcome");
      }
      try (RawWebSocket fourth = RawWebSocket.connect(server.port(), "/ws/customer", 65_536)) {
        fourth.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center(), "visitor", visitor));
        assertEquals(4409, fourth.closeCode(null));
      }
      long conversation = first.send(of("type", "start", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      first.send(of("type", "send", "conversation", conversation, "cmid", "c1", "text", "안녕하세요")).until("ack");
      assertTrue(windows.stream().allMatch(WsClient::isOpen), "the sessions already in stay");

      // One gone, another comes in (once the server has seen the first go: it may take a moment).
      windows.remove(2).close();
      eventually("a session let in after one of the three left", () -> {
        try (RawWebSocket again = RawWebSocket.connect(server.port(), "/ws/customer", 65_536)) {
          RawWebSocket.Frame answer = again.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center(),
              "visitor", visitor)).read();
          boolean letIn = answer.opcode() == RawWebSocket.TEXT && answer.json().path("type").asText().equals("welcome");
          if (!letIn) {
            assertEquals(4409, answer.code(), "refused only for the count");
          }
          return letIn;
        }
      }, Boolean.TRUE::equals);
    } finally {
      windows.forEach(WsClient::close);
    }
  }

  @Test
  void aUsersFourthConsoleIsRefusedWith4409() {
    TestServer.Setup s = server.setUp();
    try (WsClient a = server.agent(); WsClient b = server.agent(); WsClient c = server.agent();
        RawWebSocket d = RawWebSocket.connect(server.port(), "/ws/agent", 65_536)) {
      for (WsClient console : List.of(a, b, c)) {
        console.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      }
      d.sendText(of("type", "hello", "token", s.agentToken()));
      assertEquals(4409, d.closeCode(null));
      a.send(of("type", "status", "status", "ONLINE")).next("status");
    }
  }
}
