package io.sangdam.store;

import io.sangdam.cluster.LeaseStore;
import io.sangdam.cluster.Node;
import java.time.Duration;
import java.util.Optional;

/** The {@code node_lease} row of the whole database (scope {@code database}), on the database's clock. */
public final class JdbcLeaseStore implements LeaseStore {
  private static final String SCOPE = "database";

  private final Sql sql;

  public JdbcLeaseStore(Database db) {
    this.sql = new Sql(db.dataSource());
  }

  /** One statement, so two nodes starting at once cannot both win: the row lock orders them. */
  @Override
  public Optional<Holder> claim(Node node, String token, Duration lease) {
    int taken = sql.update("""
        UPDATE node_lease SET node_name = ?, host = ?, port = ?, pid = ?, data_dir = ?, token = ?,
          since = NOW(6), renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL ? MICROSECOND
        WHERE scope = ? AND (expires_at <= NOW(6) OR (host = ? AND data_dir = ?) OR node_name = ?)""",
        node.name().orElse(null), node.host(), node.port(), node.pid(), node.dataDir(), token, micros(lease),
        SCOPE, node.host(), node.dataDir(), node.name().orElse(null));
    if (taken == 1) {
      return Optional.empty();
    }
    return Optional.of(sql.one("""
        SELECT node_name, host, port, pid, data_dir, since,
          TIMESTAMPDIFF(MICROSECOND, renewed_at, NOW(6)) AS silent, TIMESTAMPDIFF(MICROSECOND, NOW(6), expires_at) AS remaining
        FROM node_lease WHERE scope = ?""",
        rs -> new Holder(new Node(Optional.ofNullable(rs.getString("node_name")), rs.getString("host"),
            rs.getInt("port"), rs.getLong("pid"), rs.getString("data_dir")), Sql.instant(rs, "since"),
            Duration.ofNanos(rs.getLong("silent") * 1000), Duration.ofNanos(rs.getLong("remaining") * 1000)),
        SCOPE).orElseThrow(() -> new IllegalStateException("the node_lease row is missing (migration V007)")));
  }

  @Override
  public boolean renew(String token, Duration lease) {
    return sql.update("""
        UPDATE node_lease SET renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL ? MICROSECOND
        WHERE scope = ? AND token = ?""", micros(lease), SCOPE, token) == 1;
  }

  @Override
  public void release(String token) {
    sql.update("UPDATE node_lease SET expires_at = NOW(6) WHERE scope = ? AND token = ?", SCOPE, token);
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
