package io.sangdam.presence;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.Http;
import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket that closes while its {@code hello} is being answered leaves nothing behind: hello runs
 * on a worker, and a session it registered after the close would stay registered for good.
 */
class ClosedDuringHelloIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static double metric(String series) {
    Http.Download page = server.http().download("/metrics", null);
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
        .matcher(new String(page.body(), StandardCharsets.UTF_8));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  /** The probe of the review: 100 anonymous customers say hello and go at once, half of them with a reset. */
  @Test
  void customersThatCloseDuringHelloAreNotLeftRegistered() {
    TestServer.Setup s = server.setUp();
    for (int i = 0; i < 100; i++) {
      RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/customer", 65_536);
      ws.sendText(of("type", "hello", "tenant", s.tenant(), "center", s.center()));
      if (i % 2 == 0) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        ws.reset();
      } else {
        ws.close();
      }
    }
    // Every connection gone (the scrape's own one aside), then no customer session may be left.
    eventually("no customer session registered once every socket closed (sessions, connections)",
        () -> List.of(metric("sangdam_sessions{kind=\"customer\"}"), metric("sangdam_connections")),
        m -> m.get(0) == 0 && m.get(1) <= 1, Duration.ofSeconds(20));
  }

  @Test
  void agentsThatCloseDuringHelloAreNotLeftRegistered() {
    TestServer.Setup s = server.setUp();
    for (int i = 0; i < 40; i++) {
      RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/agent", 65_536);
      ws.sendText(of("type", "hello", "token", s.agentToken()));
      ws.reset();
    }
    eventually("no agent session registered once every socket closed (sessions, connections)",
        () -> List.of(metric("sangdam_sessions{kind=\"agent\"}"), metric("sangdam_connections")),
        m -> m.get(0) == 0 && m.get(1) <= 1, Duration.ofSeconds(20));
  }
}
