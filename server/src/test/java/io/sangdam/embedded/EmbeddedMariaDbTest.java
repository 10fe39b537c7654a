package io.sangdam.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
