package io.sangdam.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedded MariaDB keeps a chat day's hot pages in memory ({@link EmbeddedMariaDb#BUFFER_POOL}). */
@ExtendWith(TestDatabase.class)
class EmbeddedBufferPoolIT {
  @Test
  void theBufferPoolHoldsAGigabyte(TestDatabase.Url url) throws Exception {
    String external = System.getenv("SANGDAM_TEST_DB_URL");
    assumeTrue(external == null || external.isBlank(), "an external test database is configured by its operator");
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@innodb_buffer_pool_size")) {
      rs.next();
      assertEquals(1L << 30, rs.getLong(1));
    }
  }
}
