package io.sangdam.auth;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A console socket does not outlive the token it signed in with. */
class TokenExpiryIT {
  private static final ManualTime clock = new ManualTime(Instant.parse("2026-12-01T09:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(clock).with("auth.tokenTtlMinutes", "5");

  @Test
  void aConsoleClosesAtItsFirstFrameAfterItsTokenExpired() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      clock.advance(Duration.ofMinutes(4));
      agent.send(of("type", "status", "status", "ONLINE"));
      assertEquals("ONLINE", agent.next("status").path("status").asText());
      clock.advance(Duration.ofMinutes(1));
      agent.send(of("type", "status", "status", "AWAY", "reason", "break"));
      assertEquals(1008, agent.awaitClose());
    }
  }
}
