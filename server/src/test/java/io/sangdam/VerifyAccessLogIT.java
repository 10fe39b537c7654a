package io.sangdam;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.config.Config;
import io.sangdam.config.ConfigLoader;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/sangdam verify-access-log} beside a running server: the chain of real reads holds; a record edited in
 * the database, then a record deleted from it, is found and named.
 */
class VerifyAccessLogIT {
  private static final Path KEY = Path.of("target", "test-data", UUID.randomUUID().toString(), "access-log.key");

  @RegisterExtension
  static final TestServer server = new TestServer().with("accessLog.keyFile", KEY.toString());

  /** The configuration the command is run with on the server's machine: the same database and key file. */
  private static Config commandConfig() {
    TestDatabase.Url db = server.database();
    return ConfigLoader.load(null, Map.of("SANGDAM_DB_URL", db.url(), "SANGDAM_DB_USER", db.user(),
        "SANGDAM_DB_PASSWORD", db.password(), ConfigLoader.envName("accessLog.keyFile"), KEY.toString()));
  }

  private static void sql(String statement) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void theCommandNamesTheFirstRecordThatWasEditedAndTheOneThatWasDeleted() throws SQLException {
    TestServer.Setup s = server.setUp();
    long chat;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      chat = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", chat)).until("closed");
    }
    for (int i = 0; i < 4; i++) {
      server.http().expect(200, "GET", "/api/conversations/" + chat, s.adminToken(), null);
    }
    Commands.verifyAccessLog(commandConfig());

    sql("UPDATE access_log SET address = '10.0.0.1' WHERE id = 2");
    IllegalStateException edited = assertThrows(IllegalStateException.class,
        () -> Commands.verifyAccessLog(commandConfig()));
    assertTrue(edited.getMessage().startsWith("the access records' chain is broken at record 2: its fields do not "
        + "match its mac"), edited.getMessage());

    sql("UPDATE access_log SET address = '127.0.0.1' WHERE id = 2");
    Commands.verifyAccessLog(commandConfig());
    sql("DELETE FROM access_log WHERE id = 3");
    IllegalStateException deleted = assertThrows(IllegalStateException.class,
        () -> Commands.verifyAccessLog(commandConfig()));
    assertEquals("the access records' chain is broken at record 3: record 3 is missing (the next one is 4) "
        + "(2 records before it hold)", deleted.getMessage());
  }
}
