package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
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
  static final TestServer server = new TestServer().with("http.maxRequestBytes", String.valueOf(MAX_REQUEST_BYTES));

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
          + "Authorization: Bearer " + "A".repeat(43) + "\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\nabcd");
      RawHttp.Answer answer = client.read();
      assertEquals(401, answer.status(), answer.body());
      assertTrue(answer.body().contains("\"unauthorized\""), answer.body());
    }
  }
}
