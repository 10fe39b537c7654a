package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request body is held to its own path's limit as it arrives, and an upload without a caller is
 * refused before its body is read: no anonymous client makes the server read and hold megabytes.
 * Each request here sends less than its announced or growing body and waits: the answer must come
 * before the rest, which is never sent.
 */
class RequestBodyLimitsIT {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("http.maxRequestBytes", String.valueOf(MAX_REQUEST_BYTES))
      .with("attachments.maxBytes", String.valueOf(1024 * 1024))
      .with("http.maxBodyBytesInFlight", String.valueOf(1024 * 1024));
  private static final String FAKE_TOKEN = "A".repeat(43);

  @Test
  void aChunkedBodyIsRefusedTheMomentItPassesItsPathsLimitNotTheUploadLimit() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n");
      OutputStream out = client.socket.getOutputStream();
      byte[] chunk = new byte[8 * 1024];
      for (int sent = 0; sent <= MAX_REQUEST_BYTES; sent += chunk.length) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
      RawHttp.Answer answer = client.read();
      assertEquals(413, answer.status(), answer.body());
      assertTrue(answer.body().contains("\"too_large\"") && answer.body().contains(String.valueOf(MAX_REQUEST_BYTES)),
          answer.body());
      assertTrue(client.closedWithin(5_000));
    }
  }

  @Test
  void anUploadWithoutABearerTokenIsRefusedBeforeItsBody() throws IOException {
    for (String authorization : new String[] {"", "Authorization: Basic YWRtaW46YWRtaW4=\r\n",
        "Authorization: Bearer not-a-token\r\n"}) {
      try (RawHttp client = RawHttp.connect(server.port())) {
        client.send("POST /api/conversations/1/attachments?name=a.png HTTP/1.1\r\nHost: x\r\n" + authorization
            + "Content-Type: image/png\r\nContent-Length: 10000000\r\n\r\n");
        RawHttp.Answer answer = client.read();
        assertEquals(401, answer.status(), authorization + answer.body());
        assertTrue(answer.body().contains("\"unauthorized\""), answer.body());
        assertEquals("close", answer.header("Connection"));
        assertTrue(client.closedWithin(5_000));
      }
    }
  }

  @Test
  void anUploadWithATokenShapedBearerIsReadAndCheckedAsEveryRequest() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/conversations/1/attachments?name=a.png HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + FAKE_TOKEN + "\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\nabcd");
      RawHttp.Answer answer = client.read();
      assertEquals(401, answer.status(), answer.body());
      assertTrue(answer.body().contains("\"unauthorized\""), answer.body());
    }
  }

  /**
   * Two uploads of 600 KiB each, both unfinished, do not fit a 1 MiB budget together: one is
   * answered 503 as its bytes come; once it is gone, the other is read whole and answered, and so
   * is a later one: what an answered or ended request held is given back.
   */
  @Test
  void bodiesInFlightOverTheBudgetAreRefusedAndWhatTheyHeldIsGivenBack() throws IOException {
    byte[] body = new byte[600 * 1024];
    try (RawHttp first = startUpload(body); RawHttp second = startUpload(body)) {
      RawHttp[] clients = {first, second};
      int refused = firstToAnswer(clients);
      RawHttp.Answer busy = clients[refused].read();
      assertEquals(503, busy.status(), busy.body());
      assertTrue(busy.body().contains("\"unavailable\""), busy.body());
      assertEquals(String.valueOf(JsonHttpObjectAggregator.RETRY_AFTER_SECONDS), busy.header("Retry-After"));
      assertTrue(clients[refused].closedWithin(5_000));
      RawHttp other = clients[1 - refused];
      other.send("0\r\n\r\n");
      assertEquals(401, other.read().status(), "read whole, then its token checked");
      try (RawHttp third = startUpload(body)) {
        third.send("0\r\n\r\n");
        assertEquals(401, third.read().status(), "the budget was given back");
      }
    }
  }

  /** An upload with a token-shaped bearer whose chunked body is sent but not ended. */
  private static RawHttp startUpload(byte[] body) throws IOException {
    RawHttp client = RawHttp.connect(server.port());
    client.send("POST /api/conversations/1/attachments?name=a.png HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + FAKE_TOKEN + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(body.length) + "\r\n");
    client.socket.getOutputStream().write(body);
    client.send("\r\n");
    return client;
  }

  /** The index of the client the server answers first, within 10 s. */
  private static int firstToAnswer(RawHttp[] clients) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < clients.length; i++) {
        clients[i].socket.setSoTimeout(50);
        PushbackInputStream in = clients[i].peekable();
        try {
          int b = in.read();
          if (b != -1) {
            in.unread(b);
            for (RawHttp client : clients) {
              client.socket.setSoTimeout(10_000);
            }
            return i;
          }
        } catch (SocketTimeoutException e) {
          continue;
        }
      }
    }
    throw new AssertionError("neither upload was answered within 10 s");
  }
}
