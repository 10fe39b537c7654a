package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sangdam.auth.Principal;
import io.sangdam.protocol.Fields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The console session's dispatch: after {@code hello}, each frame goes to its type's handler with
 * its rid, unless the token has expired since; an unknown type is answered {@code unknown_type}.
 */
class AgentSessionTest {
  private final Desk desk = new Desk();
  private final Instant expires = desk.time.instant().plus(Duration.ofHours(1));
  private final List<String> handled = new ArrayList<>();
  private final InMemoryOutbound out = InMemoryOutbound.closable();
  private final AgentSession session = new AgentSession(1, out, desk.json, new RateLimiter(100, 100,
      System::nanoTime), desk.sessions, new Frames<>(new SignsIn(), Map.of("waiting",
      (s, f, rid) -> handled.add(s.principal().user().username() + " " + rid))), desk.time);

  /** Lets kim in at once, with a token that expires in an hour. */
  private final class SignsIn implements Greeter<AgentSession> {
    @Override
    public CompletableFuture<?> hello(AgentSession s, Fields frame) {
      s.signedIn(new Principal(desk.kim, "acme", "seoul"), "token-of-kim");
      s.tokenExpires(expires);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ended(AgentSession s) {}
  }

  @Test
  void aFrameGoesToItsTypesHandlerWithItsRid() {
    session.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    session.onText("{\"type\":\"waiting\",\"rid\":\"w1\"}");
    assertEquals(List.of("kim \"w1\""), handled);
    assertEquals(0, out.messages.size());
  }

  @Test
  void anUnknownTypeIsAnsweredWithItsRid() {
    session.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    session.onText("{\"type\":\"dance\",\"rid\":\"d\"}");
    desk.assertError(out, "unknown_type", "d");
  }

  @Test
  void nothingBeforeHello() {
    session.onText("{\"type\":\"waiting\",\"rid\":\"w1\"}");
    desk.assertError(out, "hello_required", "w1");
    assertEquals(List.of(), handled);
  }

  @Test
  void aFrameAfterTheTokenExpiredClosesTheConsoleUnhandled() {
    session.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    desk.time.advance(Duration.ofHours(1));
    session.onText("{\"type\":\"waiting\",\"rid\":\"w1\"}");
    assertEquals("1008 token expired", out.closedWith);
    assertEquals(List.of(), handled);
    assertEquals(0, out.messages.size());
  }

  @Test
  void aSecondHelloIsRefused() {
    session.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    session.onText("{\"type\":\"hello\",\"rid\":2,\"token\":\"token-of-kim\"}");
    desk.assertError(out, "bad_request", "2");
    assertNull(out.closedWith);
  }
}
