package io.sangdam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** What the channels' tests check of a partner's request: how it was refused, what was counted, what was stored. */
public final class ChannelChecks {
  private ChannelChecks() {
  }

  public static void assertRefused(int status, String code, Http.Response r) {
    assertEquals(status, r.status(), r.body().toString());
    assertEquals(code, r.errorCode(), r.body().toString());
  }

  /** A 422 whose message names {@code field}. */
  public static void assertInvalid(Http.Response r, String field) {
    assertEquals(422, r.status(), r.body().toString());
    assertTrue(r.body().path("error").path("message").asText().contains("'" + field + "'"), r.body().toString());
  }

  /** {@code sangdam_channel_inbound_total{result}} as the server's /metrics shows it now. */
  public static double inboundCount(TestServer server, String result) {
    String text = new String(server.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    String series = "sangdam_channel_inbound_total{result=\"" + result + "\"}";
    return text.lines().filter(l -> l.startsWith(series)).mapToDouble(l -> Double.parseDouble(l.substring(
        series.length()).trim())).findFirst().orElse(0);
  }

  /** The tenant's customers, conversations and kept inbound answers. */
  public static List<Integer> stored(TestServer server, String tenant) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            SELECT (SELECT COUNT(*) FROM customer cu WHERE cu.tenant_id = t.id),
                   (SELECT COUNT(*) FROM conversation cv WHERE cv.tenant_id = t.id),
                   (SELECT COUNT(*) FROM channel_inbound i JOIN channel ch ON ch.id = i.channel_id
                     WHERE ch.tenant_id = t.id)
            FROM tenant t WHERE t.code = ?
            """)) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3));
      }
    }
  }

  /** The tenant's statistics totals over yesterday to tomorrow (UTC), with {@code query}'s filters. */
  public static JsonNode statsTotal(TestServer server, TestServer.Setup s, String query) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return server.http().expect(200, "GET", "/api/stats?scope=" + s.tenant() + "&timezone=UTC&from="
        + today.minusDays(1) + "&to=" + today.plusDays(1) + query, s.adminToken(), null).path("total");
  }

  /**
   * Moves back by {@code by} when the conversation's rating question reached the customer, as if that much
   * time had passed since (the window for their answer counts from it).
   */
  public static void surveyAskedEarlier(TestServer server, long conversation, java.time.Duration by) {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("UPDATE conversation SET survey_asked_at = survey_asked_at - "
            + "INTERVAL ? SECOND WHERE id = ? AND survey_asked_at IS NOT NULL")) {
      ps.setLong(1, by.toSeconds());
      ps.setLong(2, conversation);
      assertEquals(1, ps.executeUpdate(), "conversation " + conversation + " was asked to rate");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Whether the conversation's outbox row is still there: it goes once its end is delivered (or given up). */
  public static int owes(TestServer server, long conversation) {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM channel_outbound WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The failed attempts of the conversation's next item, as the outbox holds them (0 when it owes nothing). */
  public static int failedAttempts(TestServer server, long conversation) {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT attempts FROM channel_outbound WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
