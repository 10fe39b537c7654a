package io.sangdam.store;

import io.sangdam.cluster.LeaseStore;
import io.sangdam.cluster.Node;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The {@code node_lease} row of the whole database (scope {@code database}), on the database's clock. */
public final class JdbcLeaseStore implements LeaseStore {
  private static final String SCOPE = "database";
  private static final String HOLDER = """
      SELECT node_name, %s AS node_id, host, port, pid, data_dir, since,
        TIMESTAMPDIFF(MICROSECOND, renewed_at, NOW(6)) AS silent, TIMESTAMPDIFF(MICROSECOND, NOW(6), expires_at) AS remaining
      FROM node_lease WHERE scope = ?""";

  private final Sql sql;

  public JdbcLeaseStore(Database db) {
    this.sql = new Sql(db);
  }

  /** One statement, so two nodes starting at once cannot both win: the row lock orders them. */
  @Override
  public Optional<Holder> claim(Node node, String token, Duration lease) {
    int taken = sql.update("""
        UPDATE node_lease SET node_name = ?, node_id = ?, host = ?, port = ?, pid = ?, data_dir = ?, token = ?,
          since = NOW(6), renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL ? MICROSECOND
        WHERE scope = ? AND (expires_at <= NOW(6) OR node_id = ? OR node_name = ?)""",
        node.name().orElse(null), node.id(), node.host(), node.port(), node.pid(), node.dataDir(), token,
        micros(lease), SCOPE, node.id().isEmpty() ? null : node.id(), node.name().orElse(null));
    if (taken == 1) {
      return Optional.empty();
    }
    return Optional.of(sql.one(HOLDER.formatted("node_id"), JdbcLeaseStore::holder, SCOPE)
        .orElseThrow(() -> new IllegalStateException("the node_lease row is missing (migration V007)")));
  }

  /** Asks the schema first: before the migrations the table may be missing, or lack {@code node_id} (before V009). */
  @Override
  public Optional<Holder> liveHolder() {
    List<String> columns = sql.list("""
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = DATABASE() AND table_name = 'node_lease'""", rs -> rs.getString(1));
    if (columns.isEmpty()) {
      return Optional.empty();
    }
    String nodeId = columns.stream().anyMatch("node_id"::equalsIgnoreCase) ? "node_id" : "''";
    return sql.one(HOLDER.formatted(nodeId) + " AND expires_at > NOW(6)", JdbcLeaseStore::holder, SCOPE);
  }

  @Override
  public boolean renew(String token, Duration lease) {
    return sql.update("""
        UPDATE node_lease SET renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL ? MICROSECOND
        WHERE scope = ? AND token = ?""", micros(lease), SCOPE, token) == 1;
  }

  /**
   * Frees the lease whoever holds it. Only for a database that no node serves: one a dump was just
   * restored into carries the lease of the server the dump was taken from, which would refuse the
   * restored installation's own server until it expired.
   */
  public void forgetHolder() {
    sql.update("UPDATE node_lease SET expires_at = NOW(6) WHERE scope = ?", SCOPE);
  }

  @Override
  public void release(String token) {
    sql.update("UPDATE node_lease SET expires_at = NOW(6) WHERE scope = ? AND token = ?", SCOPE, token);
  }

  /**
   * The message writer's fence for the holder of {@code token}: each insert of messages reads its first row's
   * conversation id through the lease row, by its primary key, while it holds that token, under a shared lock held to
   * the commit (see {@link WriteFence}). {@code lost} runs when an insert was refused for it, so the node stops at
   * once instead of at its next heartbeat.
   */
  public WriteFence fence(String token, Runnable lost) {
    return new WriteFence() {
      @Override
      public String conversation() {
        return "(SELECT ? FROM node_lease WHERE scope = '" + SCOPE + "' AND token = ? LOCK IN SHARE MODE)";
      }

      @Override
      public String token() {
        return token;
      }

      @Override
      public boolean holds(Connection c) throws SQLException {
        // A locking read: it sees the latest token, not the snapshot of a transaction begun before a takeover.
        return Sql.list(c, "SELECT 1 FROM node_lease WHERE scope = ? AND token = ? LOCK IN SHARE MODE", rs -> true,
            SCOPE, token).size() == 1;
      }

      @Override
      public void lost() {
        lost.run();
      }
    };
  }

  private static Holder holder(ResultSet rs) throws SQLException {
    return new Holder(new Node(Optional.ofNullable(rs.getString("node_name")), rs.getString("node_id"),
        rs.getString("host"), rs.getInt("port"), rs.getLong("pid"), rs.getString("data_dir")),
        Sql.instant(rs, "since"), Duration.ofNanos(rs.getLong("silent") * 1000),
        Duration.ofNanos(rs.getLong("remaining") * 1000));
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
