package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Secrets;
import io.sangdam.auth.Visitors;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The widget's {@code hello}: a visitor of an active tenant's enabled center is welcomed, joins, and is told to chat. */
class CustomerHelloTest {
  private final Desk desk = new Desk();
  private final List<String> presence = new ArrayList<>();
  /** Runs while hello reads the customer's open conversations: the session is registered by then. */
  private Runnable whileReadingOpen = () -> { };
  private final CustomerHello hello = new CustomerHello(desk.directory,
      new Visitors(new InMemoryVisitors(), new Secrets(new SecureRandom()), desk.time), desk.sessions,
      customer -> {
        whileReadingOpen.run();
        return List.of(desk.conversation(5, null, ConversationState.WAITING));
      },
      customer -> presence.add("connected " + customer), customer -> presence.add("disconnected " + customer),
      Desk.AT_ONCE);

  private CustomerSession session(InMemoryOutbound out) {
    return new CustomerSession(42, out, desk.json, new RateLimiter(100, 100, System::nanoTime), desk.sessions,
        new Frames<>(hello, Map.of()));
  }

  @Test
  void aNewVisitorIsWelcomedWithATokenAndTheirOpenConversations() {
    InMemoryOutbound out = new InMemoryOutbound();
    CustomerSession hong = session(out);
    hello.hello(hong, desk.frame("{\"type\":\"hello\",\"rid\":1,\"tenant\":\"acme\",\"center\":\"seoul\","
        + "\"name\":\"Hong\"}")).join();

    JsonNode welcome = desk.only(out);
    assertEquals("welcome", welcome.path("type").asText());
    assertEquals(1, welcome.path("rid").asInt());
    assertEquals(true, Secrets.looksLikeToken(welcome.path("visitor").asText()), welcome.toString());
    assertEquals(5, welcome.path("open").get(0).path("id").asLong(), welcome.toString());
    assertEquals("Hong", hong.identity().name());
    assertEquals(List.of("connected 7"), presence);
    assertEquals(1, desk.sessions.sessionCount(true));

    hello.ended(hong);
    assertEquals(List.of("connected 7", "disconnected 7"), presence);
    assertEquals(0, desk.sessions.sessionCount(true));
  }

  @Test
  void aPushThatComesBeforeWelcomeIsSentAfterIt() {
    InMemoryOutbound out = new InMemoryOutbound();
    CustomerSession hong = session(out);
    whileReadingOpen = () -> desk.sessions.typing(5, 7, null, SenderKind.AGENT);
    hong.onText("{\"type\":\"hello\",\"tenant\":\"acme\",\"center\":\"seoul\"}");
    assertEquals(List.of("welcome", "typing"), out.messages.stream().map(m -> desk.wire(m).path("type").asText())
        .toList(), "the widget knows conversation 5 before it hears of it");
  }

  @Test
  void aHelloThatFailsOnceRegisteredLeavesAsACloseWouldAndCountsTheCustomerOnce() {
    InMemoryOutbound out = new InMemoryOutbound();
    CustomerSession hong = session(out);
    whileReadingOpen = () -> {
      desk.sessions.typing(5, 7, null, SenderKind.AGENT);
      throw new SangdamException(ErrorCode.UNAVAILABLE, "the database is unreachable");
    };
    hong.onText("{\"type\":\"hello\",\"tenant\":\"acme\",\"center\":\"seoul\"}");
    assertEquals(List.of("error"), out.messages.stream().map(m -> desk.wire(m).path("type").asText()).toList());
    assertEquals(0, desk.sessions.sessionCount(true));
    assertEquals(List.of("connected 7", "disconnected 7"), presence);

    hello.ended(hong);
    assertEquals(List.of("connected 7", "disconnected 7"), presence, "its close later counts nothing more");
  }

  @Test
  void anUnknownCenterIsNotFoundAndNothingJoins() {
    InMemoryOutbound out = new InMemoryOutbound();
    CustomerSession hong = session(out);
    CompletionException refused = assertThrows(CompletionException.class, () -> hello.hello(hong,
        desk.frame("{\"type\":\"hello\",\"tenant\":\"acme\",\"center\":\"busan\"}")).join());
    assertEquals(ErrorCode.NOT_FOUND, ((SangdamException) refused.getCause()).code());
    assertNull(hong.identity());
    hello.ended(hong);
    assertEquals(List.of(), presence, "a session that never joined counts no disconnection");
  }
}
