package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.SenderKind;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import io.sangdam.routing.CenterLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code status}: answered to the console that asked, told to the agent's other consoles. */
class SetStatusTest {
  private final Desk desk = new Desk();
  private final SetStatus handler = new SetStatus(desk.sessions, desk.awayReasons);

  @Test
  void theConsoleThatAskedGetsItsRidAndTheAgentsOtherConsolesAreTold() {
    InMemoryOutbound asked = new InMemoryOutbound();
    InMemoryOutbound other = new InMemoryOutbound();
    AgentSession first = desk.agent(desk.kim, asked);
    AgentSession second = desk.agent(desk.kim, other);
    desk.sessions.addAgent(desk.kim.id(), first, () -> { });
    desk.sessions.addAgent(desk.kim.id(), second, () -> { });
    Fields f = desk.frame("{\"type\":\"status\",\"rid\":\"s1\",\"status\":\"AWAY\"}");

    handler.handle(first, f, desk.rid(f));

    JsonNode answer = desk.only(asked);
    assertEquals("status", answer.path("type").asText());
    assertEquals("s1", answer.path("rid").asText());
    assertEquals("AWAY", answer.path("status").asText());
    JsonNode told = desk.only(other);
    assertEquals("AWAY", told.path("status").asText());
    assertFalse(told.has("rid"));
    assertEquals(AgentStatus.AWAY, desk.sessions.status(desk.kim.id()));
  }

  /**
   * With many nodes the center's routing may be another node's: the answer waits until it has the status in
   * line (before, a transfer to the agent sent right after the answer could reach routing first and be
   * refused), and what is pushed to the console meanwhile follows the answer.
   */
  @Test
  void theAnswerWaitsUntilRoutingHasTheStatusAndPushesMeanwhileFollowIt() {
    CompletableFuture<Void> heard = new CompletableFuture<>();
    List<String> told = new ArrayList<>();
    Sessions sessions = new Sessions(desk.directory, routing(agent -> {
      told.add("available " + agent.agentId());
      return heard;
    }), 3);
    InMemoryOutbound asked = new InMemoryOutbound();
    InMemoryOutbound other = new InMemoryOutbound();
    AgentSession first = desk.agent(desk.kim, asked);
    sessions.addAgent(desk.kim.id(), first, () -> { });
    sessions.addAgent(desk.kim.id(), desk.agent(desk.kim, other), () -> { });
    Fields f = desk.frame("{\"type\":\"status\",\"rid\":\"s1\",\"status\":\"ONLINE\"}");

    sessions.setStatus(first.profile(), AgentStatus.ONLINE, null, first, desk.rid(f));
    sessions.typing(42, 1, desk.kim.id(), SenderKind.CUSTOMER);

    assertEquals(List.of("available " + desk.kim.id()), told);
    assertEquals(List.of(), asked.messages, "nothing before routing has the status");
    assertEquals(List.of("status", "typing"), other.messages.stream().map(m -> desk.wire(m).path("type").asText())
        .toList(), "the agent's other consoles are told at once");
    heard.complete(null);
    assertEquals(List.of("status s1", "typing "), asked.messages.stream().map(desk::wire)
        .map(m -> m.path("type").asText() + " " + m.path("rid").asText()).toList());
  }

  @Test
  void aStatusRoutingCannotTakeIsRefusedAndHoldsNothingBack() {
    Sessions sessions = new Sessions(desk.directory, routing(agent -> {
      throw new SangdamException(ErrorCode.UNAVAILABLE, "routing is stopping");
    }), 3);
    InMemoryOutbound asked = new InMemoryOutbound();
    AgentSession kim = desk.agent(desk.kim, asked);
    sessions.addAgent(desk.kim.id(), kim, () -> { });

    assertThrows(SangdamException.class, () -> sessions.setStatus(kim.profile(), AgentStatus.ONLINE, null, kim, null));
    sessions.typing(42, 1, desk.kim.id(), SenderKind.CUSTOMER);

    assertEquals("typing", desk.only(asked).path("type").asText(), "a push after the refusal goes at once");
  }

  /** Routing that takes an agent's ONLINE with {@code available}; the tests using it send no other status. */
  private static AgentAvailability routing(Function<AgentProfile, CompletableFuture<Void>> available) {
    return new AgentAvailability() {
      @Override
      public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
        return available.apply(agent);
      }

      @Override
      public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected,
          String awayReason) {
        throw new AssertionError("not in this test");
      }
    };
  }

  @Test
  void aCenterTakenUpIsToldAgainWhoIsAtWorkOnThisNode() {
    AgentSession kim = desk.agent(desk.kim, new InMemoryOutbound());
    desk.sessions.addAgent(desk.kim.id(), kim, () -> { });
    desk.sessions.setStatus(kim.profile(), AgentStatus.ONLINE, null, kim, null);
    desk.routing.drop(desk.seoul.id()).join();
    desk.routing.take(desk.seoul.id());
    assertEquals(List.of(), desk.routing.load(desk.seoul.id()).join().agents(), "a fresh engine knows nobody");

    desk.sessions.announceAgents(desk.seoul.id() + 1);
    assertEquals(List.of(), desk.routing.load(desk.seoul.id()).join().agents(), "only the center's own agents");
    desk.sessions.announceAgents(desk.seoul.id());

    assertEquals(List.of("ONLINE"), desk.routing.load(desk.seoul.id()).join().agents().stream()
        .map(CenterLoad.AgentLoad::status).toList());
  }

  @Test
  void awayWithAReasonOfTheTenantIsAnsweredWithItAndKeptForTheNextWelcome() {
    InMemoryOutbound asked = new InMemoryOutbound();
    AgentSession kim = desk.agent(desk.kim, asked);
    desk.sessions.addAgent(desk.kim.id(), kim, () -> { });
    desk.awayReasons.usable(desk.kim.tenantId());
    Fields f = desk.frame("{\"type\":\"status\",\"rid\":\"s1\",\"status\":\"AWAY\",\"reason\":\"meal\"}");

    handler.handle(kim, f, desk.rid(f));

    JsonNode answer = desk.only(asked);
    assertEquals("AWAY", answer.path("status").asText());
    assertEquals("meal", answer.path("reason").asText());
    assertEquals("meal", desk.sessions.awayReason(desk.kim.id()));
    assertEquals("meal", desk.routing.load(desk.seoul.id()).join().agents().get(0).awayReason(),
        "routing has the reason, for the dashboard");
  }

  @Test
  void aReasonWithAnotherStatusIsRefusedBeforeAnythingChanges() {
    AgentSession kim = desk.agent(desk.kim, new InMemoryOutbound());
    Fields f = desk.frame("{\"type\":\"status\",\"status\":\"ONLINE\",\"reason\":\"meal\"}");
    SangdamException refused = assertThrows(SangdamException.class, () -> handler.handle(kim, f, null));
    assertEquals("invalid_field", refused.code().wire());
    assertEquals(AgentStatus.OFFLINE, desk.sessions.status(desk.kim.id()));
  }

  @Test
  void anUnknownStatusIsRefused() {
    AgentSession kim = desk.agent(desk.kim, new InMemoryOutbound());
    Fields f = desk.frame("{\"type\":\"status\",\"status\":\"ASLEEP\"}");
    SangdamException refused = assertThrows(SangdamException.class, () -> handler.handle(kim, f, null));
    assertEquals("invalid_field", refused.code().wire());
  }
}
