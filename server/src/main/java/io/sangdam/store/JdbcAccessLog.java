package io.sangdam.store;

import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessChain;
import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The access records in MariaDB, as one chain. An append locks the chain's head row ({@code SELECT ... FOR UPDATE}
 * on {@code access_log_chain}), takes the next id and the previous mac from it, inserts the record and moves the
 * head, in one transaction: appends from every node wait for each other there, so the chain stays one line.
 * Nothing here changes a record; {@link #prune} removes the oldest only, and vouches for where the chain then starts.
 */
public final class JdbcAccessLog implements AccessLog {
  private static final String CHAIN = "main";
  /** Rows read at a time when walking the chain, and removed at a time when pruning. */
  private static final int BATCH = 1000;

  private final Sql sql;
  private final AccessChain chain;
  private final Clock clock;

  public JdbcAccessLog(Database db, AccessChain chain, Clock clock) {
    this.sql = new Sql(db);
    this.chain = requireNonNull(chain, "chain");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Makes the chain this key's on an empty chain, or refuses a key that is not the chain's: records appended under
   * another key would all fail verification, and the operator should hear so at start, not at an audit.
   */
  public void claimKey() {
    sql.transaction(c -> {
      Head head = head(c);
      if (head.keyId() == null) {
        Sql.update(c, "UPDATE access_log_chain SET key_id = ? WHERE chain = ?", chain.keyId(), CHAIN);
      } else if (!head.keyId().equals(chain.keyId())) {
        throw new IllegalStateException("the access records were chained with another key (key id " + head.keyId()
            + ", this node's " + chain.keyId() + "): give every node the same accessLog.keyFile");
      }
      return null;
    });
  }

  @Override
  public void record(AccessRecord r) {
    sql.transaction(c -> {
      Head head = head(c);
      long id = head.lastId() + 1;
      // Milliseconds, as DATETIME(3) keeps them: the mac is over what is stored.
      Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      String subjects = AccessChain.subjects(r);
      String mac = chain.mac(head.lastMac(), id, at, r, subjects);
      Sql.update(c, """
          INSERT INTO access_log (id, at, actor_id, actor_name, tenant_id, center_id, address, action, object,
            subjects, reason, prev_mac, mac)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, id, at, r.actorId(), r.actorName(), r.tenantId(), r.centerId(), r.address(), r.action(), r.object(),
          subjects, r.reason(), head.lastMac(), mac);
      if (!r.subjects().isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT IGNORE INTO access_log_subject (customer_id, record_id) VALUES (?, ?)")) {
          for (long subject : r.subjects()) {
            ps.setLong(1, subject);
            ps.setLong(2, id);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      Sql.update(c, "UPDATE access_log_chain SET last_id = ?, last_mac = ? WHERE chain = ?", id, mac, CHAIN);
      return null;
    });
  }

  @Override
  public List<Recorded> search(Query q, int limit) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.tenantId() != null) {
      where.append(" AND a.tenant_id = ?");
      params.add(q.tenantId());
    }
    if (q.actor() != null) {
      where.append(" AND a.actor_name = ?");
      params.add(q.actor());
    }
    if (q.subject() != null) {
      where.append(" AND a.id IN (SELECT record_id FROM access_log_subject WHERE customer_id = ?)");
      params.add(q.subject());
    }
    if (q.action() != null) {
      where.append(" AND a.action = ?");
      params.add(q.action());
    }
    if (q.from() != null) {
      where.append(" AND a.at >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND a.at < ?");
      params.add(q.to());
    }
    if (q.beforeId() != null) {
      where.append(" AND a.id < ?");
      params.add(q.beforeId());
    }
    params.add(limit);
    return sql.list("SELECT a.* FROM access_log a" + where + " ORDER BY a.id DESC LIMIT ?", JdbcAccessLog::recorded,
        params.toArray());
  }

  @Override
  public List<Recorded> period(Long tenantId, Instant from, Instant to, int limit) {
    return tenantId == null
        ? sql.list("SELECT * FROM access_log WHERE at >= ? AND at < ? ORDER BY id LIMIT ?", JdbcAccessLog::recorded,
            from, to, limit)
        : sql.list("SELECT * FROM access_log WHERE tenant_id = ? AND at >= ? AND at < ? ORDER BY id LIMIT ?",
            JdbcAccessLog::recorded, tenantId, from, to, limit);
  }

  @Override
  public Verdict verify() {
    return sql.run(c -> {
      Head head = head(c, false);
      long expectedId = head.prunedId() + 1;
      String previous = head.prunedMac();
      if (head.prunedId() > 0 && !AccessChain.same(head.anchorMac(), chain.anchor(head.prunedId(),
          head.prunedMac()))) {
        return new Verdict(0, Optional.of(expectedId), "the chain's start (after record " + head.prunedId()
            + ", removed for age) is not vouched for by the key: older records were removed by someone without it",
            head.lastId(), head.lastMac());
      }
      long checked = 0;
      while (true) {
        List<Row> rows = Sql.list(c, "SELECT * FROM access_log WHERE id >= ? ORDER BY id LIMIT " + BATCH,
            JdbcAccessLog::row, expectedId);
        for (Row row : rows) {
          if (row.id() != expectedId) {
            return broken(checked, expectedId, "record " + expectedId + " is missing (the next one is " + row.id() + ")",
                head);
          }
          if (!AccessChain.same(row.prevMac(), previous)) {
            return broken(checked, row.id(), "its previous mac is not the mac of record " + (row.id() - 1), head);
          }
          if (!AccessChain.same(row.mac(), chain.mac(previous, row.id(), row.at(), row.record(), row.subjects()))) {
            return broken(checked, row.id(), "its fields do not match its mac: the record was changed", head);
          }
          previous = row.mac();
          expectedId++;
          checked++;
        }
        if (rows.size() < BATCH) {
          break;
        }
      }
      if (expectedId - 1 != head.lastId() || !AccessChain.same(previous, head.lastMac())) {
        return broken(checked, expectedId, "the chain's head names record " + head.lastId() + " but the records end at "
            + (expectedId - 1), head);
      }
      return new Verdict(checked, Optional.empty(), null, head.lastId(), head.lastMac());
    });
  }

  private static Verdict broken(long checked, long id, String problem, Head head) {
    return new Verdict(checked, Optional.of(id), problem, head.lastId(), head.lastMac());
  }

  @Override
  public int prune(Instant before) {
    int removed = 0;
    while (true) {
      int batch = sql.transaction(c -> {
        Head head = head(c);
        List<Row> old = Sql.list(c, "SELECT * FROM access_log WHERE id > ? AND at < ? ORDER BY id LIMIT " + BATCH,
            JdbcAccessLog::row, head.prunedId(), before);
        // Only a run from the chain's start: a record kept between old ones (a clock set back) ends the run.
        int run = 0;
        while (run < old.size() && old.get(run).id() == head.prunedId() + 1 + run) {
          run++;
        }
        if (run == 0) {
          return 0;
        }
        Row last = old.get(run - 1);
        Sql.update(c, "DELETE FROM access_log_subject WHERE record_id > ? AND record_id <= ?", head.prunedId(),
            last.id());
        Sql.update(c, "DELETE FROM access_log WHERE id > ? AND id <= ?", head.prunedId(), last.id());
        Sql.update(c, "UPDATE access_log_chain SET pruned_id = ?, pruned_mac = ?, anchor_mac = ? WHERE chain = ?",
            last.id(), last.mac(), chain.anchor(last.id(), last.mac()), CHAIN);
        return run;
      });
      removed += batch;
      if (batch < BATCH) {
        return removed;
      }
    }
  }

  private record Head(long lastId, String lastMac, String keyId, long prunedId, String prunedMac, String anchorMac) {}

  /** A record as the chain's walk reads it: its subjects as text, since a changed one need not parse. */
  private record Row(long id, Instant at, AccessRecord record, String subjects, String prevMac, String mac) {}

  private static Head head(Connection c) throws SQLException {
    return head(c, true);
  }

  private static Head head(Connection c, boolean locked) throws SQLException {
    return Sql.list(c, "SELECT * FROM access_log_chain WHERE chain = ?" + (locked ? " FOR UPDATE" : ""),
        rs -> new Head(rs.getLong("last_id"), rs.getString("last_mac"), rs.getString("key_id"),
            rs.getLong("pruned_id"), rs.getString("pruned_mac"), rs.getString("anchor_mac")), CHAIN)
        .stream().findFirst().orElseThrow(() -> new SQLException("the access records' chain head is missing"));
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(rs.getLong("id"), Sql.instant(rs, "at"), record(rs, List.of()), rs.getString("subjects"),
        rs.getString("prev_mac"), rs.getString("mac"));
  }

  private static Recorded recorded(ResultSet rs) throws SQLException {
    String subjects = rs.getString("subjects");
    List<Long> ids = subjects.isEmpty() ? List.of() : Arrays.stream(subjects.split(",")).map(Long::valueOf).toList();
    return new Recorded(rs.getLong("id"), Sql.instant(rs, "at"), record(rs, ids));
  }

  private static AccessRecord record(ResultSet rs, List<Long> subjects) throws SQLException {
    return new AccessRecord(Sql.nullableLong(rs, "actor_id"), rs.getString("actor_name"),
        Sql.nullableLong(rs, "tenant_id"), Sql.nullableLong(rs, "center_id"), rs.getString("address"),
        rs.getString("action"), rs.getString("object"), subjects, rs.getString("reason"));
  }
}
