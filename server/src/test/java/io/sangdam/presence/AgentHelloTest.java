package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.dashboard.AlertThresholds;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.directory.Role;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.testing.InMemoryAlertThresholdStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The console's {@code hello}: a valid token of a user who may connect joins the registry and is welcomed. */
class AgentHelloTest {
  private final Desk desk = new Desk();
  private final User homeless = desk.put(new User(1009, 1L, null, "nam", "Nam", Role.AGENT, null, Set.of(),
      true));
  /** A manager whose console is kept to address ranges the sessions here are outside of. */
  private final User outside = desk.put(new User(1010, 1L, desk.kim.centerId(), "lee", "Lee", Role.CENTER_MANAGER,
      null, Set.of(), true));
  /** Tokens by user: "token-of-" + username. */
  private final Map<String, User> tokens = Map.of("token-of-kim", desk.kim, "token-of-park", desk.park,
      "token-of-nam", homeless, "token-of-lee", outside);
  private final Instant expires = desk.time.instant().plus(Duration.ofHours(8));
  /** Runs while hello reads the agent's open conversations: the session is registered by then. */
  private Runnable whileReadingOpen = () -> { };
  private final AgentHello hello = new AgentHello(
      token -> Optional.ofNullable(tokens.get(token)).map(u -> new Principal(u, "acme",
          u.centerId() == null ? null : "seoul")).orElseThrow(() -> new SangdamException(ErrorCode.UNAUTHORIZED,
          "invalid or expired token")),
      // As SecurityPolicies.requireAddress refuses a user outside their console's ranges.
      (p, address) -> {
        if (p.user() == outside) {
          throw new SangdamException(ErrorCode.ADDRESS_NOT_ALLOWED, "your address " + address + " is outside");
        }
      },
      token -> expires, desk.sessions,
      agent -> {
        whileReadingOpen.run();
        return agent == desk.kim.id() ? List.of(desk.conversation(5, agent, ConversationState.ASSIGNED)) : List.of();
      },
      desk.awayReasons,
      new DashboardFeed(new Dashboard(desk.directory, desk.routing::load, new NoStatistics(),
      new AlertThresholds(new InMemoryAlertThresholdStore()), desk.time), System::nanoTime), Desk.AT_ONCE);

  private AgentSession session(InMemoryOutbound out) {
    return new AgentSession(99, out, desk.json, new RateLimiter(100, 100, System::nanoTime), desk.sessions,
        new Frames<>(hello, Map.of()), desk.time);
  }

  @Test
  void anAgentIsWelcomedWithTheirOpenConversationsAndJoinsTheRegistry() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession kim = session(out);
    Fields f = desk.frame("{\"type\":\"hello\",\"rid\":\"h\",\"token\":\"token-of-kim\"}");
    hello.hello(kim, f).join();

    JsonNode welcome = desk.only(out);
    assertEquals("welcome", welcome.path("type").asText());
    assertEquals("h", welcome.path("rid").asText());
    assertEquals("kim", welcome.path("user").path("username").asText(), welcome.toString());
    assertEquals("OFFLINE", welcome.path("status").asText());
    assertEquals(5, welcome.path("conversations").get(0).path("id").asLong());
    assertEquals(1, desk.sessions.sessionCount(false));
    assertTrue(kim.signedInWith("token-of-kim"));
    assertTrue(kim.signedInWithKey(io.sangdam.auth.Authenticator.tokenKey("token-of-kim")), "known by its key too");

    hello.ended(kim);
    assertEquals(0, desk.sessions.sessionCount(false), "the ended console leaves the registry");
  }

  @Test
  void aPushThatComesBeforeWelcomeIsSentAfterIt() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession kim = session(out);
    whileReadingOpen = () -> desk.sessions.typing(5, 7, desk.kim.id(), SenderKind.CUSTOMER);
    kim.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    assertEquals(List.of("welcome", "typing"), types(out), "the console knows conversation 5 before it hears of it");

    desk.sessions.typing(5, 7, desk.kim.id(), SenderKind.CUSTOMER);
    assertEquals(List.of("welcome", "typing", "typing"), types(out), "pushes are no longer held");
  }

  @Test
  void aHelloThatFailsOnceRegisteredLeavesTheRegistryAndDropsWhatItHeld() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession kim = session(out);
    whileReadingOpen = () -> {
      desk.sessions.typing(5, 7, desk.kim.id(), SenderKind.CUSTOMER);
      throw new SangdamException(ErrorCode.UNAVAILABLE, "the database is unreachable");
    };
    kim.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    assertEquals(List.of("error"), types(out), "no push about a conversation the console was never welcomed with");
    assertEquals(0, desk.sessions.sessionCount(false));
    assertNull(kim.principal());

    desk.sessions.typing(5, 7, desk.kim.id(), SenderKind.CUSTOMER);
    assertEquals(List.of("error"), types(out), "out of the registry");

    whileReadingOpen = () -> { };
    kim.onText("{\"type\":\"hello\",\"token\":\"token-of-kim\"}");
    desk.sessions.typing(5, 7, desk.kim.id(), SenderKind.CUSTOMER);
    assertEquals(List.of("error", "welcome", "typing"), types(out), "hello again, and it works");
    assertEquals(1, desk.sessions.sessionCount(false));
  }

  private List<String> types(InMemoryOutbound out) {
    return out.messages.stream().map(m -> desk.wire(m).path("type").asText()).toList();
  }

  @Test
  void aTenantAdminConnectsWithoutACenterToSupervise() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession park = session(out);
    hello.hello(park, desk.frame("{\"type\":\"hello\",\"token\":\"token-of-park\"}")).join();
    assertEquals("TENANT_ADMIN", desk.only(out).path("user").path("role").asText());
    hello.ended(park);
    assertEquals(0, desk.sessions.sessionCount(false));
  }

  @Test
  void anAgentWithoutACenterIsRefusedAndNotRegistered() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession nam = session(out);
    CompletionException refused = assertThrows(CompletionException.class,
        () -> hello.hello(nam, desk.frame("{\"type\":\"hello\",\"token\":\"token-of-nam\"}")).join());
    assertEquals(ErrorCode.FORBIDDEN, ((SangdamException) refused.getCause()).code());
    assertEquals(0, out.messages.size());
    assertEquals(0, desk.sessions.sessionCount(false));
    assertNull(nam.principal());
  }

  @Test
  void anAgentOutsideTheirConsolesAddressRangesIsRefusedAsOverRestAndNotRegistered() {
    InMemoryOutbound out = new InMemoryOutbound();
    AgentSession lee = session(out);
    CompletionException refused = assertThrows(CompletionException.class,
        () -> hello.hello(lee, desk.frame("{\"type\":\"hello\",\"token\":\"token-of-lee\"}")).join());
    assertEquals(ErrorCode.ADDRESS_NOT_ALLOWED, ((SangdamException) refused.getCause()).code());
    assertEquals(0, out.messages.size());
    assertEquals(0, desk.sessions.sessionCount(false));
    assertNull(lee.principal());
  }

  @Test
  void aConsoleOverTheLimitIsClosedWith4409AndSignedOut() {
    for (int i = 0; i < 3; i++) {
      hello.hello(session(new InMemoryOutbound()), desk.frame("{\"type\":\"hello\",\"token\":\"token-of-kim\"}"))
          .join();
    }
    InMemoryOutbound out = InMemoryOutbound.closable();
    AgentSession fourth = session(out);
    assertThrows(CompletionException.class,
        () -> hello.hello(fourth, desk.frame("{\"type\":\"hello\",\"token\":\"token-of-kim\"}")).join());
    assertEquals("4409 this user has 3 connections already", out.closedWith);
    assertNull(fourth.principal(), "not signed in: it never joined");
    assertEquals(3, desk.sessions.sessionCount(false));
  }
}
