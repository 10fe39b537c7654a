package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A customer and an agent chat end to end over the real server and database. */
class ChatFlowIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void customerAndAgentChatFromStartToClose() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "rid", "h1", "token", s.agentToken()));
      JsonNode welcome = agent.next("welcome");
      assertEquals("h1", welcome.path("rid").asText());
      assertEquals("kim", welcome.path("user").path("username").asText());
      assertEquals(0, welcome.path("conversations").size());
      assertEquals("OFFLINE", welcome.path("status").asText());
      agent.send(of("type", "status", "rid", 2, "status", "ONLINE"));
      JsonNode status = agent.next("status");
      assertEquals("ONLINE", status.path("status").asText());
      assertEquals(2, status.path("rid").asInt());

      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동"));
      JsonNode customerWelcome = customer.next("welcome");
      assertFalse(customerWelcome.path("visitor").asText().isEmpty());
      customer.send(of("type", "start", "rid", "r1", "queue", "card"));
      JsonNode started = customer.next("started");
      assertEquals("r1", started.path("rid").asText());
      JsonNode conversation = started.path("conversation");
      long id = conversation.path("id").asLong();
      assertEquals(s.tenant(), conversation.path("tenant").asText());
      assertEquals("seoul", conversation.path("center").asText());
      assertEquals("card", conversation.path("queue").asText());
      assertEquals("WAITING", conversation.path("state").asText());
      assertEquals("홍길동", conversation.path("customer").path("name").asText());
      assertTrue(conversation.path("agent").isNull());

      JsonNode toCustomer = customer.next("assigned");
      assertEquals(id, toCustomer.path("conversation").asLong());
      assertEquals("김상담", toCustomer.path("agent").path("name").asText());
      JsonNode toAgent = agent.next("assigned");
      assertEquals(id, toAgent.path("conversation").path("id").asLong());
      assertEquals("ASSIGNED", toAgent.path("conversation").path("state").asText());
      assertEquals("kim", toAgent.path("conversation").path("agent").path("username").asText());

      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "카드가 안 돼요"));
      JsonNode ack1 = customer.next("ack");
      assertEquals("c-1", ack1.path("cmid").asText());
      assertEquals(1, ack1.path("seq").asLong());
      JsonNode atAgent = agent.next("message");
      assertEquals(1, atAgent.path("seq").asLong());
      assertEquals("customer", atAgent.path("from").asText());
      assertEquals("홍길동", atAgent.path("name").asText());
      assertEquals("카드가 안 돼요", atAgent.path("text").asText());
      assertFalse(atAgent.path("at").asText().isEmpty());

      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "확인해 드리겠습니다"));
      assertEquals(2, agent.next("ack").path("seq").asLong());
      JsonNode atCustomer = customer.next("message");
      assertEquals(2, atCustomer.path("seq").asLong());
      assertEquals("agent", atCustomer.path("from").asText());
      assertEquals("김상담", atCustomer.path("name").asText());

      customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "감사합니다"));
      assertEquals(3, customer.next("ack").path("seq").asLong());
      assertEquals(3, agent.next("message").path("seq").asLong());

      agent.send(of("type", "close", "rid", "bye", "conversation", id));
      JsonNode closedAgent = agent.next("closed");
      assertEquals(id, closedAgent.path("conversation").asLong());
      assertEquals("agent", closedAgent.path("reason").asText());
      assertEquals("bye", closedAgent.path("rid").asText());
      JsonNode closedCustomer = customer.next("closed");
      assertEquals("agent", closedCustomer.path("reason").asText());
      assertTrue(closedCustomer.path("rid").isMissingNode());
      agent.assertNothingSoFar("one closed, nothing after it");

      customer.send(of("type", "send", "conversation", id, "cmid", "c-3", "text", "late"));
      assertEquals("conversation_closed", customer.next("error").path("code").asText());
      customer.send(of("type", "leave", "conversation", id));
      assertEquals("conversation_closed", customer.next("error").path("code").asText());
      agent.send(of("type", "close", "conversation", id));
      assertEquals("conversation_closed", agent.next("error").path("code").asText());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "감사합니다"));
      assertEquals(3, customer.next("ack").path("seq").asLong(), "a repeat after the close is acknowledged again");
    }
  }

  @Test
  void aRepeatedCmidIsAcknowledgedAgainAndStoredOnce() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);

      JsonNode send = of("type", "send", "conversation", id, "cmid", "same", "text", "once");
      customer.send(send);
      JsonNode first = customer.next("ack");
      customer.send(send);
      JsonNode second = customer.next("ack");
      assertEquals(first.path("seq").asLong(), second.path("seq").asLong());
      assertEquals(1, agent.next("message").path("seq").asLong());
      agent.assertNothingSoFar("a repeated cmid is not pushed again");

      customer.send(of("type", "send", "conversation", id, "cmid", "next", "text", "twice"));
      assertEquals(2, customer.next("ack").path("seq").asLong());

      customer.send(of("type", "resume", "conversation", id, "afterSeq", 0));
      assertEquals("once", customer.next("message").path("text").asText());
      assertEquals("twice", customer.next("message").path("text").asText());
      assertEquals(2, customer.next("resumed").path("lastSeq").asLong());
    }
  }

  @Test
  void aCustomerWhoLeavesBeforeAnAgentAbandonsTheConversation() {
    TestServer.Setup s = server.setUp();
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      JsonNode started = customer.send(of("type", "start", "queue", "card", "text", "hello?")).next("started");
      assertEquals(1, started.path("conversation").path("lastSeq").asLong());
      long id = started.path("conversation").path("id").asLong();
      customer.send(of("type", "leave", "conversation", id));
      assertEquals("abandoned", customer.next("closed").path("reason").asText());
    }
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      assertEquals(0, agent.send(of("type", "waiting")).next("waiting").path("conversations").size(),
          "the abandoned conversation left the queue");
      agent.assertNothingSoFar("nothing to assign");
    }
  }

  @Test
  void waitingConversationsGoToAnAgentWhoComesOnlineUpToCapacityAndTheNextWhenOneCloses() {
    TestServer.Setup s = server.setUp();
    try (WsClient c1 = server.customer(); WsClient c2 = server.customer(); WsClient c3 = server.customer();
        WsClient agent = server.agent()) {
      for (WsClient c : new WsClient[] {c1, c2, c3}) {
        c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
        c.send(of("type", "start", "queue", "card")).next("started");
      }
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long first = c1.next("assigned").path("conversation").asLong();
      c2.next("assigned");
      agent.next("assigned");
      agent.next("assigned");
      assertEquals(1, agent.send(of("type", "waiting")).next("waiting").path("conversations").size(),
          "the third still waits: the agent is at capacity");
      c3.assertNothingSoFar("not assigned while the agent is full");

      agent.send(of("type", "close", "conversation", first));
      assertEquals(first, agent.next("closed").path("conversation").asLong());
      long third = c3.next("assigned").path("conversation").asLong();
      assertEquals(third, agent.next("assigned").path("conversation").path("id").asLong());
    }
  }
}
