package io.sangdam.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Runs one statement with bound parameters: PreparedStatement and try-with-resources, always. */
final class Sql {
  /** MariaDB's ER_DUP_ENTRY. */
  static final int DUPLICATE_KEY = 1062;

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  /** How long each read may wait for the database; 0 keeps the pool's socket timeout. */
  private final int networkTimeoutMillis;
  private final ConflictRetry conflicts;

  Sql(Database db) {
    this(db, 0);
  }

  /** With a network timeout of its own, set before anything is sent (the pool puts its default back on return). */
  Sql(Database db, int networkTimeoutMillis) {
    this(db.dataSource(), networkTimeoutMillis, db.conflicts());
  }

  Sql(DataSource dataSource, int networkTimeoutMillis, ConflictRetry conflicts) {
    this.dataSource = dataSource;
    this.networkTimeoutMillis = networkTimeoutMillis;
    this.conflicts = conflicts;
  }

  <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
    return run(c -> list(c, sql, mapper, params));
  }

  static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = list(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  int update(String sql, Object... params) {
    return run(c -> update(c, sql, params));
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** Inserts one row and returns its generated id. */
  long insert(String sql, Object... params) {
    return run(c -> insert(c, sql, params));
  }

  static long insert(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(ps, params);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Runs {@code work}, one autocommit statement or one {@link #transaction}, on a connection of its
   * own, repeated whole on another if the database rolled it back on a conflict (see {@link ConflictRetry}).
   */
  <T> T run(Work<T> work) {
    try {
      return conflicts.run(() -> {
        try (Connection c = dataSource.getConnection()) {
          if (networkTimeoutMillis > 0) {
            c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
          }
          return work.run(c);
        }
      });
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /**
   * Runs {@code work} in one transaction, rolled back if it throws, and run again whole after a
   * deadlock or a Galera certification failure: {@code work} must change nothing but the database
   * (it may read what it was given, not update it).
   */
  <T> T transaction(Work<T> work) {
    return run(c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        ps.setObject(i + 1, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
      } else if (p instanceof Enum<?> e) {
        ps.setString(i + 1, e.name());
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  /**
   * Ids as the list of an SQL {@code IN (...)}: numbers only, so nothing a caller passes can change the statement;
   * one placeholder each would make a new statement per list length for the server to prepare.
   */
  static String in(Collection<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  /** A duplicate in the unique key named {@code key} (MariaDB names it in the message). */
  static boolean isDuplicateOf(Throwable e, String key) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == DUPLICATE_KEY && sql.getMessage() != null
          && sql.getMessage().contains(key + "'")) {
        return true;
      }
    }
    return false;
  }

  static boolean isDuplicate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == DUPLICATE_KEY) {
        return true;
      }
    }
    return false;
  }
}
