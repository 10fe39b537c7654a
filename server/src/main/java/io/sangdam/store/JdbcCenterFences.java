package io.sangdam.store;

import io.sangdam.cluster.CenterFences;
import io.sangdam.cluster.CenterFencing;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code center_owner} rows: each center's fence, bumped by the node that wins the center and
 * read under a shared lock by each of its writes. (On Galera a shared lock is local to the node it
 * is taken on, so there the fence orders writes only through that node.)
 */
public final class JdbcCenterFences implements CenterFences {
  /** How long taking a fence waits for the writes in flight under the old one. */
  private static final int TAKE_WAIT_SECONDS = 3;

  private final Sql sql;

  public JdbcCenterFences(Database db) {
    this.sql = new Sql(db);
  }

  /**
   * One transaction: the row's exclusive lock waits for every write holding its shared lock, then the
   * fence grows by one. It waits a few seconds at most (not MariaDB's 50): a frozen owner's open
   * transaction is rolled back by the idle transaction timeout, and the next heartbeat tries again.
   */
  @Override
  public long take(long centerId, String nodeName) {
    return sql.transaction(c -> {
      Sql.update(c, "SET SESSION innodb_lock_wait_timeout = " + TAKE_WAIT_SECONDS);
      try {
        return raise(c, centerId, nodeName);
      } finally {
        Sql.update(c, "SET SESSION innodb_lock_wait_timeout = DEFAULT");
      }
    });
  }

  private static long raise(Connection c, long centerId, String nodeName) throws SQLException {
    Sql.update(c, """
        INSERT INTO center_owner (center_id, node_name, fence, taken_at) VALUES (?, ?, 1, NOW(6))
        ON DUPLICATE KEY UPDATE node_name = VALUES(node_name), fence = fence + 1, taken_at = NOW(6)
        """, centerId, nodeName);
    return Sql.list(c, "SELECT fence FROM center_owner WHERE center_id = ?", rs -> rs.getLong(1), centerId).get(0);
  }

  /**
   * In a write's transaction: throws {@link CenterFence.Fenced} unless the center's fence is still
   * {@code fence}, and holds the row's shared lock to the commit.
   */
  public void check(Connection c, long centerId, long fence) throws SQLException {
    if (!holds(c, centerId, fence)) {
      throw new CenterFence.Fenced(centerId);
    }
  }

  /** The fence of the node holding {@code tokens}: what its message writer and chat store check. */
  public CenterFence fence(CenterFencing tokens) {
    return new CenterFence() {
      @Override
      public void checkCenter(Connection c, long centerId) throws SQLException {
        check(c, centerId, tokens.token(centerId).orElseThrow(() -> new CenterFence.Fenced(centerId)));
      }

      @Override
      public void checkConversation(Connection c, long conversationId) throws SQLException {
        List<Long> center = Sql.list(c, "SELECT center_id FROM conversation WHERE id = ?", rs -> rs.getLong(1),
            conversationId);
        if (!center.isEmpty()) {
          checkCenter(c, center.get(0));
        }
      }

      @Override
      public Set<Long> refused(Connection c, Collection<Long> conversationIds) throws SQLException {
        Set<Long> refused = new HashSet<>();
        // Centers in id order: two batches lock their rows in the same order.
        for (Map.Entry<Long, List<Long>> center : byCenter(c, conversationIds).entrySet()) {
          OptionalLong token = tokens.token(center.getKey());
          if (token.isEmpty() || !holds(c, center.getKey(), token.getAsLong())) {
            refused.addAll(center.getValue());
          }
        }
        return refused;
      }
    };
  }

  private static boolean holds(Connection c, long centerId, long fence) throws SQLException {
    List<Long> current = Sql.list(c, "SELECT fence FROM center_owner WHERE center_id = ? LOCK IN SHARE MODE",
        rs -> rs.getLong(1), centerId);
    return !current.isEmpty() && current.get(0) == fence;
  }

  /** The conversations by the center each is in now; those that do not exist are left out (their insert fails anyway). */
  private static Map<Long, List<Long>> byCenter(Connection c, Collection<Long> conversationIds) throws SQLException {
    Set<Long> distinct = new HashSet<>(conversationIds);
    if (distinct.isEmpty()) {
      return Map.of();
    }
    String marks = distinct.stream().map(id -> "?").collect(Collectors.joining(", "));
    List<Map.Entry<Long, Long>> centerOf = Sql.list(c,
        "SELECT id, center_id FROM conversation WHERE id IN (" + marks + ")",
        rs -> Map.entry(rs.getLong(1), rs.getLong(2)), distinct.toArray());
    return centerOf.stream().collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new,
        Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
  }
}
