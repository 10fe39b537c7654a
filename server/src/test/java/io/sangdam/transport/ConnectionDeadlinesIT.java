package io.sangdam.transport;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.RawWebSocket;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that keeps a connection without ever making a request of it is cut: the request head
 * and the WebSocket {@code hello} each have a deadline, which the idle check alone never enforced.
 */
class ConnectionDeadlinesIT {
  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("http.idleSeconds", "1")
      .with("http.requestHeadSeconds", "2")
      .with("http.helloSeconds", "2");

  /** Slowloris: one byte of the head every 250 ms, never silent long enough for the idle check. */
  @Test
  void aHeadTrickledByteByByteIsCutAtItsDeadline() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      assertTrue(trickleUntilClosed(client), "the trickling connection was still open after 15 s");
    }
  }

  @Test
  void aSecondRequestsHeadHasItsOwnDeadlineCountedFromItsFirstBytes() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      assertEquals(200, client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
      assertTrue(trickleUntilClosed(client), "the trickling second request was still open after 15 s");
    }
  }

  /** A body trickled a byte every 250 ms: each byte is life to the idle check, far below the body's minimum rate. */
  @Test
  void aBodyTrickledByteByByteIsCutAtItsDeadline() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1048576\r\n\r\n");
      assertTrue(trickleUntilClosed(client, new byte[0]), "the trickling body was still open after 15 s");
    }
  }

  /** A body that keeps coming faster than the minimum rate is read whole, however long past the head's deadline. */
  @Test
  void aSlowBodyAboveTheMinimumRateIsAnswered() throws IOException {
    int length = 3 * RequestDeadline.MIN_BODY_BYTES_PER_SECOND * 4;
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + length + "\r\n\r\n");
      // 4 s for the body, twice the 2 s allowance, at 3 KiB/s: above the rate, so it is read whole.
      byte[] slice = new byte[3 * RequestDeadline.MIN_BODY_BYTES_PER_SECOND / 4];
      Arrays.fill(slice, (byte) ' ');
      for (int i = 0; i < 16; i++) {
        client.socket.getOutputStream().write(slice);
        client.socket.getOutputStream().flush();
        LockSupport.parkNanos(250_000_000L);
      }
      assertEquals(400, client.read().status(), "a body of spaces is no login, but it is answered");
    }
  }

  /** Sends a head a byte at a time, one every 250 ms, until the server closes the connection or 15 s pass. */
  private static boolean trickleUntilClosed(RawHttp client) throws IOException {
    return trickleUntilClosed(client, "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ".getBytes(StandardCharsets.US_ASCII));
  }

  /** Sends {@code head} a byte at a time, then 'x's, one every 250 ms, until the server closes or 15 s pass. */
  private static boolean trickleUntilClosed(RawHttp client, byte[] head) throws IOException {
    client.socket.setSoTimeout(250);
    InputStream in = client.socket.getInputStream();
    OutputStream out = client.socket.getOutputStream();
    long start = System.nanoTime();
    for (int i = 0; System.nanoTime() - start < 15_000_000_000L; i++) {
      try {
        out.write(i < head.length ? head[i] : 'x');
        out.flush();
        if (in.read() == -1) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aWebSocketThatAnswersPingsButNeverSaysHelloIsClosedWith4408() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("GET /ws/customer HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertEquals(101, client.read(true).status());
      InputStream in = client.socket.getInputStream();
      OutputStream out = client.socket.getOutputStream();
      long start = System.nanoTime();
      while (System.nanoTime() - start < 15_000_000_000L) {
        int opcode = in.read() & 0x0F;
        byte[] payload = in.readNBytes(in.read() & 0x7F);
        if (opcode == 0x9) {
          // A pong carrying the ping's payload, masked with a zero key as a client must mask.
          out.write(new byte[] {(byte) 0x8A, (byte) (0x80 | payload.length), 0, 0, 0, 0});
          out.write(payload);
          out.flush();
        } else {
          assertEquals(0x8, opcode, "a close frame");
          assertEquals(HelloDeadline.CLOSE_CODE, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
          assertEquals("no hello within 2 s", new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
          return;
        }
      }
      throw new AssertionError("still open after 15 s of pongs and no hello");
    }
  }

  /**
   * The 4408 ends the connection even for a client that ignores it and keeps pinging, and a
   * {@code hello} sent after it is not let in.
   */
  @Test
  void aClientThatIgnoresThe4408IsCutAndItsLateHelloIsNotAnswered() {
    TestServer.Setup s = server.setUp();
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/customer", 65_536).readTimeout(300)) {
      int closeCode = -1;
      List<String> texts = new ArrayList<>();
      long start = System.nanoTime();
      while (System.nanoTime() - start < 20_000_000_000L) {
        RawWebSocket.Frame f;
        try {
          f = ws.read();
        } catch (UncheckedIOException e) {
          if (!(e.getCause() instanceof SocketTimeoutException)) {
            break;
          }
          // Silent for a while: a ping, so the idle check alone never ends the connection.
          if (!ws.trySend(RawWebSocket.PING, true, new byte[] {1})) {
            break;
          }
          continue;
        }
        if (f.opcode() == RawWebSocket.PING) {
          ws.trySend(0xA, true, f.payload());
        } else if (f.opcode() == RawWebSocket.CLOSE) {
          closeCode = f.code();
          // No close frame back: a hello instead, as a client that ignores the close would.
          ws.trySend(RawWebSocket.TEXT, true,
              of("type", "hello", "tenant", s.tenant(), "center", s.center()).toString().getBytes(StandardCharsets.UTF_8));
        } else if (f.opcode() == RawWebSocket.TEXT) {
          texts.add(f.json().path("type").asText());
        }
      }
      assertEquals(HelloDeadline.CLOSE_CODE, closeCode);
      assertTrue(System.nanoTime() - start < 20_000_000_000L, "still open 20 s after the upgrade");
      assertFalse(texts.contains("welcome"), "the hello after the 4408 was let in: " + texts);
    }
  }

  @Test
  void aClientLetInStaysPastTheHelloDeadline() {
    TestServer.Setup s = server.setUp();
    try (WsClient c = server.customer()) {
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      c.awaitServerPings(3);
      assertTrue(c.isOpen(), "three idle periods of a second answered: open past the 2 s hello deadline");
      c.assertNothingSoFar("pings only");
    }
  }
}
