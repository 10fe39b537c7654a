package io.sangdam.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {
  private static final String TMP = System.getProperty("java.io.tmpdir");

  @Test
  void aDataDirectoryUnderTheTempDirectoryIsSpelledSoMariaDb4jKeepsIt() throws Exception {
    Path dir = Path.of(TMP, "sangdam", "mariadb", "data").toAbsolutePath();
    String spelled = EmbeddedMariaDb.durable(dir);
    assertFalse(new File(spelled).getAbsolutePath().startsWith(TMP), spelled);
    assertEquals(dir.normalize(), Path.of(spelled).normalize());
  }

  @Test
  void otherDirectoriesAreLeftAsTheyAre() {
    Path dir = Path.of("/var/lib/sangdam/mariadb/data");
    assertEquals(dir.toString(), EmbeddedMariaDb.durable(dir));
  }

  @Test
  void onlyAMariadbdOnExactlyThisDataDirectoryCountsAsALeftover() {
    Path data = Path.of("/srv/sangdam/data/mariadb/data");
    assertTrue(LeftoverServer.servesDataDirectory(java.util.List.of("/srv/sangdam/data/mariadb/base/bin/mariadbd",
        "--no-defaults", "--datadir=/srv/sangdam/data/mariadb/data", "--port=3306"), data));
    assertFalse(LeftoverServer.servesDataDirectory(java.util.List.of("/opt/b/bin/mariadbd",
        "--datadir=/srv/sangdam/data/mariadb/data2"), data), "another server's directory");
    assertFalse(LeftoverServer.servesDataDirectory(java.util.List.of("/usr/bin/java", "-jar", "x.jar",
        "--datadir=/srv/sangdam/data/mariadb/data"), data), "a pid reused by another program");
    assertFalse(LeftoverServer.servesDataDirectory(java.util.List.of(), data), "a process that is gone");
  }

  @Test
  void theWatchdogScriptQuotesPathsForTheShell() {
    assertEquals("'/srv/it'\\''s/bin/mariadbd'", EmbeddedMariaDb.quoted("/srv/it's/bin/mariadbd"));
  }
}
