package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer on node-a starts a chat in a center node-b owns, and node-b is slow: its insert of the
 * conversation waits on a lock the test holds on the center's fence row (as a database stalled a moment
 * would), so node-a gets no answer within {@link ForwardedCalls#TIMEOUT} and asks again under the same key.
 * The customer is told {@code started} once, of the one conversation the database then holds.
 */
class SlowOwnerStartIT {
  private static final String TENANT = "slowowner";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).on("node-b", "cluster.centers", TENANT + "/seoul");

  private static TestServer a() {
    return cluster.node("node-a");
  }

  private static TestServer b() {
    return cluster.node("node-b");
  }

  @BeforeAll
  static void aCenterOwnedByNodeB() {
    Http http = a().http();
    String admin = a().adminToken();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Slow owner"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    Eventually.eventually("seoul owned by node-b", () -> {
      JsonNode view = a().http().expect(200, "GET", "/api/cluster", admin, null);
      for (JsonNode node : view.path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          if (node.path("name").asText().equals("node-b") && center.asText().equals(TENANT + "/seoul")) {
            return true;
          }
        }
      }
      return false;
    });
  }

  @Test
  void anOwnerAnsweringTooLateStillGivesTheCustomerOneConversationAndOneStarted() throws SQLException {
    TestDatabase.Url db = a().database();
    try (WsClient customer = a().customer(); Connection stall = DriverManager.getConnection(db.url(), db.user(),
        db.password())) {
      customer.send(of("type", "hello", "tenant", TENANT, "center", "seoul", "name", "홍길동")).next("welcome");
      stall.setAutoCommit(false);
      try (PreparedStatement lock = stall.prepareStatement("""
          SELECT o.fence FROM center_owner o JOIN center c ON c.id = o.center_id JOIN tenant t ON t.id = c.tenant_id
          WHERE t.code = ? AND c.code = 'seoul' FOR UPDATE
          """)) {
        lock.setString(1, TENANT);
        lock.executeQuery().close();
      }

      customer.send(of("type", "start", "rid", "s1", "queue", "card"));
      // node-b holds the first attempt (its insert waits for the lock) when the second, under the same key, comes.
      Eventually.eventually("node-a asked again and node-b answered it from the start in flight",
          () -> repeatedFromMemory(b()), n -> n >= 1, Duration.ofSeconds(30));
      stall.rollback();

      List<JsonNode> before = new ArrayList<>();
      JsonNode m = customer.next(Duration.ofSeconds(30));
      while (!m.path("type").asText().equals("started")) {
        assertNotEquals("error", m.path("type").asText(), "refused: " + m);
        before.add(m);
        m = customer.next(Duration.ofSeconds(30));
      }
      assertEquals("s1", m.path("rid").asText());
      long id = m.path("conversation").path("id").asLong();
      assertEquals(List.of(), before, "nothing before started");

      assertEquals(List.of(id), conversations(db), "one conversation in the database");
      customer.ignoring("queue");
      customer.assertNothingSoFar("no second started, no error");
    }
  }

  private static double repeatedFromMemory(TestServer node) {
    String text = new String(node.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("sangdam_cluster_starts_repeated_total{") && line.contains("found=\"memory\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static List<Long> conversations(TestDatabase.Url db) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            SELECT v.id FROM conversation v JOIN tenant t ON t.id = v.tenant_id WHERE t.code = ? ORDER BY v.id
            """)) {
      ps.setString(1, TENANT);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }
}
