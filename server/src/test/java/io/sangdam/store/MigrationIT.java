package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestDatabase;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabase.class)
class MigrationIT {
  private static Database database(TestDatabase.Url url) {
    return new Database(url.url(), url.user(), url.password(), 2);
  }

  @Test
  void migrationsApplyOnceAndEveryTableIsUtf8mb4(TestDatabase.Url url) {
    try (Database db = database(url)) {
      db.migrate();
      db.migrate();
      Sql sql = new Sql(db);
      List<String> tables = sql.list("""
          SELECT table_name, table_collation FROM information_schema.tables
          WHERE table_schema = DATABASE() AND table_name <> 'flyway_schema_history'
          """, rs -> rs.getString(1) + ":" + rs.getString(2));
      assertTrue(tables.size() >= 12, tables.toString());
      tables.forEach(t -> assertTrue(t.endsWith(":utf8mb4_unicode_ci"), t));
      long shipped;
      try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("sangdam.root"), "sql"))) {
        shipped = files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertEquals(shipped, sql.one("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1",
          rs -> rs.getLong(1)).orElseThrow());
    }
  }

  @Test
  void aDatabaseMigratedByNewerCodeIsRefused(TestDatabase.Url url) {
    try (Database db = database(url)) {
      db.migrate();
      new Sql(db).update("""
          INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
            installed_by, execution_time, success)
          VALUES (99, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 0, 'test', 0, 1)
          """);
      FlywayException e = assertThrows(FlywayException.class, db::migrate);
      assertTrue(e.getMessage().contains("999"), e.getMessage());
    }
  }

  @Test
  void koreanTextAndEmojiAreStoredIntact(TestDatabase.Url url) {
    try (Database db = database(url)) {
      db.migrate();
      Sql sql = new Sql(db);
      sql.update("INSERT INTO tenant (code, name, created_at) VALUES ('k', ?, NOW(3))", "한국어 계열사 😀");
      assertEquals("한국어 계열사 😀", sql.one("SELECT name FROM tenant WHERE code = 'k'", rs -> rs.getString(1))
          .orElseThrow());
    }
  }
}
