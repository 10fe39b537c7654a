package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 message framing, over a raw socket: order of answers, ambiguous lengths, and which answers end the connection. */
class HttpFramingIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String WRONG_LOGIN = "{\"username\":\"admin\",\"password\":\"not-the-password\"}";

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyCame() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      // The login hashes a password for a while; /health answers at once. Its answer must still come second.
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          + WRONG_LOGIN.length() + "\r\n\r\n" + WRONG_LOGIN + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Answer first = client.read();
      assertEquals(401, first.status(), first.body());
      assertTrue(client.read().body().contains("\"UP\""));
      assertTrue(client.read().body().contains("\"READY\""));
    }
  }

  @Test
  void aRequestWithBothContentLengthAndTransferEncodingIsRefusedAndTheConnectionClosed() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Answer answer = client.read();
      assertEquals(400, answer.status());
      assertTrue(answer.body().contains("\"bad_request\""), answer.body());
      assertEquals("close", answer.header("Connection"));
      assertTrue(client.closedWithin(5_000), "nothing after it is read as a request");
    }
  }

  @Test
  void anyTransferCodingButExactlyChunkedIsRefusedAndTheConnectionClosed() throws IOException {
    for (String coding : new String[] {"chunked, identity", "identity", "gzip, chunked", "chunked, chunked"}) {
      try (RawHttp client = RawHttp.connect(server.port())) {
        client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\n");
        RawHttp.Answer answer = client.read();
        assertEquals(400, answer.status(), coding);
        assertTrue(answer.body().contains("Transfer-Encoding must be exactly chunked"), answer.body());
        assertTrue(client.closedWithin(5_000), coding);
      }
    }
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertEquals(400, client.read().status(), "HTTP/1.0 has no transfer codings");
    }
  }

  @Test
  void aBodyOverTheLimitIsAnswered413AndTheConnectionClosedWhileTheClientStillSends() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000"
          + "\r\n\r\n{\"username\":");
      RawHttp.Answer answer = client.read();
      assertEquals(413, answer.status());
      assertTrue(answer.body().contains("\"too_large\""), answer.body());
      assertEquals("close", answer.header("Connection"));
      assertTrue(client.closedWithin(5_000), "the connection ends although the client keeps it open");
    }
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Answer answer = client.read();
      assertEquals(413, answer.status(), "refused before the body is sent");
      assertTrue(answer.body().contains("\"too_large\""), answer.body());
      assertTrue(client.closedWithin(5_000));
    }
  }

  @Test
  void a405SaysWhichMethodsTheResourceAllows() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      RawHttp.Answer api = client.send("DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertEquals(405, api.status());
      assertEquals("GET", api.header("Allow"));
      RawHttp.Answer login = client.send("GET /api/login HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertEquals(405, login.status());
      assertEquals("POST", login.header("Allow"));
      RawHttp.Answer file = client.send("POST /shared/index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
          .read();
      assertEquals(405, file.status());
      assertEquals("GET, HEAD", file.header("Allow"));
    }
  }

  @Test
  void theAnswerToAHeadHasNoBodySoTheNextAnswerIsReadWhole() throws IOException {
    try (RawHttp client = RawHttp.connect(server.port())) {
      client.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Answer head = client.read(true);
      assertEquals(405, head.status());
      RawHttp.Answer get = client.read();
      assertEquals(200, get.status());
      assertTrue(get.body().contains("\"UP\""), get.body());
    }
  }
}
