package io.sangdam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** What the database holds of a conversation's transcript, checked against what its senders were told. */
public final class Transcripts {
  private Transcripts() {
  }

  /**
   * The conversation's seq is gapless and unique, and every acknowledged message (cmid to the seq its ack
   * said) is stored exactly there, once: nothing acknowledged lost, nothing stored twice.
   */
  public static void assertStoredOnceGapless(TestDatabase.Url db, long conversation, Map<String, Long> acknowledged)
      throws SQLException {
    Map<Long, String> stored = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement s = c.prepareStatement("SELECT seq, cmid FROM message WHERE conversation_id = ? ORDER BY seq")) {
      s.setLong(1, conversation);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          assertEquals(null, stored.put(rs.getLong(1), rs.getString(2)), "seq " + rs.getLong(1) + " twice");
        }
      }
    }
    long seq = 0;
    for (long s : stored.keySet()) {
      assertEquals(++seq, s, "gapless: " + stored.keySet());
    }
    acknowledged.forEach((cmid, ackedSeq) -> assertEquals(cmid, stored.get(ackedSeq),
        cmid + " stored exactly where its ack said"));
    assertEquals(acknowledged.size(), stored.values().stream().filter(acknowledged::containsKey).distinct().count(),
        "each acknowledged message once");
  }
}
