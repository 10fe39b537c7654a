package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.chat.Participant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A console's {@code hello} has checked its token and is about to register when the token is
 * logged out: wherever the logout falls, the console does not stay signed in with it. The logout
 * is played as {@code /api/logout} does it: the token is revoked, then the sessions registered
 * with it are closed; the console checks the token again once registered, as {@code AgentSession}
 * does. Each interleaving is played in order on one thread.
 */
class LogoutWhileSigningInTest {
  private static final long USER = 7;
  private static final String TOKEN = "token-of-kim";

  private final Sessions sessions = new Sessions(null, null, 10);
  private final AtomicBoolean revoked = new AtomicBoolean();
  private final Console console = new Console();

  /** A console socket signed in with {@link #TOKEN}; remembers how it was closed. */
  private static final class Console extends ClientSession {
    volatile String closedWith;

    Console() {
      super(1, new InMemoryOutbound(), new Json(), new RateLimiter(100, 100, System::nanoTime), null);
    }

    @Override
    void signOut(String reason) {
      closedWith = reason;
    }

    @Override
    boolean signedInWith(String token) {
      return TOKEN.equals(token);
    }

    @Override
    CompletableFuture<?> hello(Fields frame) {
      throw new AssertionError("registered directly");
    }

    @Override
    void handle(String type, Fields frame) {}

    @Override
    void ended() {}

    @Override
    boolean isStaff() {
      return true;
    }

    @Override
    Participant participant() {
      return Participant.agent(7);
    }

    @Override
    String who() {
      return "user " + USER;
    }
  }

  private void logout() {
    revoked.set(true);
    sessions.loggedOut(USER, TOKEN);
  }

  private void tokenStillValid() {
    if (revoked.get()) {
      throw new SangdamException(ErrorCode.UNAUTHORIZED, "invalid or expired token");
    }
  }

  @Test
  void aLogoutBeforeTheConsoleRegistersIsSeenByItsSecondCheck() {
    logout();
    SangdamException refused = assertThrows(SangdamException.class,
        () -> sessions.addAgent(USER, console, this::tokenStillValid));
    assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
    assertEquals(0, sessions.sessionCount(false), "the console is not left registered");
  }

  @Test
  void aLogoutBetweenRegisteringAndTheSecondCheckClosesTheConsoleAndIsSeenByIt() {
    assertThrows(SangdamException.class, () -> sessions.addAgent(USER, console, () -> {
      logout();
      tokenStillValid();
    }));
    assertEquals("logged out", console.closedWith);
    assertEquals(0, sessions.sessionCount(false));
  }

  @Test
  void aLogoutAfterTheConsoleRegisteredClosesIt() {
    sessions.addAgent(USER, console, this::tokenStillValid);
    assertNull(console.closedWith);
    logout();
    assertEquals("logged out", console.closedWith);
  }
}
