package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.config.Config;
import io.sangdam.config.ConfigLoader;
import io.sangdam.protocol.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port another process holds ends the start with the operating system's reason, whichever transport binds it. */
class PortTakenTest {
  @TempDir
  Path dir;

  @Test
  void aTakenPortIsSaidInPlainWords() throws Exception {
    Config.Http http = ConfigLoader.load(dir.resolve("none.properties"), Map.of()).http();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        HttpServer server = new HttpServer(new Json(), http)) {
      int port = taken.getLocalPort();
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> server.start("127.0.0.1", port));
      assertEquals("cannot listen on 127.0.0.1:" + port + ": Address already in use", refused.getMessage());
    }
  }
}
