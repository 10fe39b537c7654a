package io.sangdam.attachment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir
  Path dir;

  @Test
  void storesByContentHashOnceAndReadsItBack() throws IOException {
    ContentStore store = new ContentStore(dir);
    byte[] content = "영수증".getBytes(StandardCharsets.UTF_8);
    String sha = store.put(content);
    assertEquals(ContentStore.sha256(content), sha);
    assertEquals(sha, store.put(content.clone()), "the same bytes get the same name");
    assertArrayEquals(content, store.get(sha).orElseThrow());
    assertTrue(Files.isRegularFile(dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha)));
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(1, files.filter(Files::isRegularFile).count(), "stored once, no temporary file left");
    }
  }

  @Test
  void aNameThatIsNoHashOrNoFileFindsNothing() {
    ContentStore store = new ContentStore(dir);
    assertTrue(store.get("../../etc/passwd").isEmpty());
    assertTrue(store.get("0".repeat(64)).isEmpty());
  }
}
