package io.sangdam.transport;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A vanished client does not hold its connection (and an agent's ONLINE status) forever. */
class IdleConnectionIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.idleSeconds", "1");

  @Test
  void aClientThatAnswersPingsStaysConnected() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = server.customer()) {
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      c.awaitServerPings(3);
      assertTrue(c.isOpen(), "three idle periods answered: still open past the close a silent client gets after two");
      c.assertNothingSoFar("pings only");
      c.send(of("type", "start", "queue", "card")).next("started");
    }
  }

  @Test
  void aWebSocketThatNeverAnswersIsPingedThenClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /ws/customer HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String handshake = readHeaders(in);
      assertTrue(handshake.startsWith("HTTP/1.1 101"), handshake);
      int opcode = in.read() & 0x0F;
      assertEquals(0x9, opcode, "a ping after a second of silence");
      in.skip(in.available());
      long start = System.nanoTime();
      while (in.read() != -1) {
        assertTrue(System.nanoTime() - start < 9_000_000_000L, "closed within a few seconds");
      }
    }
  }

  @Test
  void anIdleHttpKeepAliveConnectionIsClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertTrue(readHeaders(in).startsWith("HTTP/1.1 200"));
      while (in.read() != -1) {
        continue;
      }
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        break;
      }
      headers.append((char) b);
    }
    return headers.toString();
  }
}
