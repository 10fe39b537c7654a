package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code transferTargets}: the center's other agents with their room, and the tenant's queues, own center first. */
class TransferTargetsTest {
  private final Desk desk = new Desk();
  private final InMemoryOutbound out = new InMemoryOutbound();
  private final Conversation mine = desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED);
  private final TransferTargets handler = new TransferTargets(desk.directory,
      id -> id == 5 ? Optional.of(mine) : Optional.empty(),
      agent -> agent == desk.lee.id() ? List.of(mine, mine) : List.of(), desk.sessions, Desk.AT_ONCE);

  @Test
  void theOtherAgentsOfTheCenterAndTheEnabledQueuesOwnCenterFirst() {
    desk.put(new Center(9, 1, "busan", "Busan", "Asia/Seoul", null, CenterSettings.DEFAULTS, true));
    desk.put(new Queue(90, 9, "loans", "Loans", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null, true));
    desk.put(new Queue(91, 9, "closed", "Closed", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null, false));
    desk.put(new User(1003, 1L, 9L, "choi", "Choi", Role.AGENT, null, Set.of(90L), true));
    desk.put(new User(1004, 1L, 10L, "jung", "Jung", Role.AGENT, null, Set.of(100L), false));
    Fields f = desk.frame("{\"type\":\"transferTargets\",\"rid\":\"t\",\"conversation\":5}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));

    JsonNode answer = desk.only(out);
    assertEquals("transferTargets", answer.path("type").asText());
    assertEquals("t", answer.path("rid").asText());
    JsonNode agents = answer.path("agents");
    assertEquals(1, agents.size(), answer.toString());
    assertEquals("lee", agents.get(0).path("username").asText());
    assertEquals("OFFLINE", agents.get(0).path("status").asText());
    assertEquals(2, agents.get(0).path("openChats").asInt());
    assertEquals(3, agents.get(0).path("maxChats").asInt());
    assertEquals(false, agents.get(0).path("room").asBoolean());
    JsonNode queues = answer.path("queues");
    assertEquals(2, queues.size(), answer.toString());
    assertEquals("seoul/billing", queues.get(0).path("target").asText());
    assertEquals("busan/loans", queues.get(1).path("target").asText());
  }

  @Test
  void aConversationTheAgentDoesNotCarryIsNotFound() {
    Fields f = desk.frame("{\"type\":\"transferTargets\",\"rid\":\"t\",\"conversation\":6}");
    handler.handle(desk.agent(desk.kim, out), f, desk.rid(f));
    desk.assertError(out, "not_found", "t");
  }
}
