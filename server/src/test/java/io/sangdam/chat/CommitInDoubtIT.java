package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.CommitReplyTrap;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A send whose commit outlives the writer's timeout is answered {@code unavailable} and committed
 * all the same when the database gets to it (as after a freeze with the insert already sent). The
 * other side must still get that message, once: when the sender resends it, even after a later
 * message went first. A {@link CommitReplyTrap} between server and database swallows the answer of
 * the insert that commits it, so the outcome is unknown to the server for certain, not by timing.
 */
class CommitInDoubtIT {
  /** Past the writer's 5 s timeout, with room. */
  private static final Duration REFUSAL_WAIT = Duration.ofSeconds(30);

  private static CommitReplyTrap trap;

  @RegisterExtension
  static final TestServer server = new TestServer().withDatabaseRoute(url -> {
    trap = new CommitReplyTrap(url);
    return trap.url(url);
  });

  @AfterAll
  static void closeTrap() {
    trap.close();
  }

  @Test
  void aMessageCommittedAfterItsRefusalReachesTheOtherSideOnceWhenResent() throws Exception {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long conversation = server.assignedChat(s, agent, customer);
      agent.ignoring("typing", "read", "presence");
      customer.ignoring("typing", "read", "presence");
      assertEquals(1, send(customer, conversation, "u-1", "first").path("seq").asLong());
      assertEquals(1, agent.until("message").path("seq").asLong());

      trap.arm("in doubt");
      JsonNode refused = send(customer, conversation, "u-2", "in doubt", REFUSAL_WAIT);
      assertEquals("unavailable", refused.path("code").asText(), refused::toString);
      assertTrue(trap.awaitSwallowed(0), "the refusal answered an insert the database got");
      TestDatabase.Url db = server.database();
      try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
          Statement st = c.createStatement();
          // A locking read: it waits for the refused transaction's end, had the commit not finished yet.
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM message WHERE conversation_id = " + conversation
              + " AND seq = 2 LOCK IN SHARE MODE")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "the refused message was committed");
      }

      assertEquals(3, send(customer, conversation, "u-3", "next").path("seq").asLong());
      assertEquals(3, agent.until("message").path("seq").asLong());
      assertEquals(2, send(customer, conversation, "u-2", "in doubt").path("seq").asLong());
      JsonNode late = agent.until("message");
      assertEquals(2, late.path("seq").asLong(), late::toString);
      assertEquals("in doubt", late.path("text").asText());

      assertEquals(2, send(customer, conversation, "u-2", "in doubt").path("seq").asLong());
      assertEquals(4, send(customer, conversation, "u-4", "last").path("seq").asLong());
      assertEquals(4, agent.until("message").path("seq").asLong(), "a second resend is not pushed again");
    }
  }

  private static JsonNode send(WsClient ws, long conversation, String cmid, String text) {
    return send(ws, conversation, cmid, text, Duration.ofSeconds(10));
  }

  /** The ack or the error answering one send. */
  private static JsonNode send(WsClient ws, long conversation, String cmid, String text, Duration wait) {
    ws.send(of("type", "send", "rid", cmid, "conversation", conversation, "cmid", cmid, "text", text));
    JsonNode m = ws.next(wait);
    while (!cmid.equals(m.path("rid").asText())) {
      m = ws.next(wait);
    }
    return m;
  }
}
