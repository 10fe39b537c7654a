package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The web apps' files: types, revalidation, the security headers, and nothing outside the apps. */
class StaticFilesIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void aFileComesWithItsTypeAnETagAndAPolicyThatAllowsOnlyThisOrigin() {
    Http.Download page = server.http().download("/shared/index.html", null);
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
    assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("상담"));
    assertEquals("no-cache", page.header("Cache-Control"));
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    String policy = page.header("Content-Security-Policy");
    assertTrue(policy.startsWith("default-src 'self';") && policy.endsWith("frame-ancestors 'none'"), policy);

    assertEquals("text/javascript; charset=utf-8", server.http().download("/shared/app.js", null)
        .header("Content-Type"));
    assertEquals(new String(page.body(), StandardCharsets.UTF_8),
        new String(server.http().download("/shared/", null).body(), StandardCharsets.UTF_8),
        "a folder is its index.html");
  }

  @Test
  void theChartLibraryComesFromItsWebJarWhateverItsVersionAndNoOtherWebJarDoes() {
    Http.Download chart = server.http().download("/webjars/chart.js/dist/chart.umd.min.js", null);
    assertEquals(200, chart.status());
    assertEquals("text/javascript; charset=utf-8", chart.header("Content-Type"));
    assertTrue(new String(chart.body(), StandardCharsets.UTF_8).contains("Chart"));
    assertEquals(404, server.http().download("/webjars/chart.js/", null).status(), "no folder listing or index");
    assertEquals(404, server.http().download("/webjars/other/dist/x.js", null).status(), "only the apps' libraries");
    assertEquals(404, server.http().download("/webjars/chart.js/../../maven/x.js", null).status());
  }

  @Test
  void anUnchangedFileIsNotSentAgain() throws IOException {
    String etag = server.http().download("/shared/index.html", null).header("ETag");
    String answer = raw("GET /shared/index.html HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag
        + "\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 304"), answer);
    assertTrue(answer.endsWith("\r\n\r\n"), "no body");
    String head = raw("HEAD /shared/index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(head.startsWith("HTTP/1.1 200"), head);
    assertTrue(head.toLowerCase().contains("content-length: " + server.http().download("/shared/index.html", null)
        .body().length), head);
    assertTrue(head.endsWith("\r\n\r\n"), "a HEAD has no body");
  }

  @Test
  void nothingOutsideTheAppsIsServedAndOnlyGetIsAllowed() throws IOException {
    assertTrue(raw("GET /shared/../db/migration/V001__init.sql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .startsWith("HTTP/1.1 404"), "no climbing out of the apps");
    assertTrue(raw("GET /shared/%2e%2e/logback-test.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .startsWith("HTTP/1.1 404"));
    assertEquals(404, server.http().download("/db/migration/V001__init.sql", null).status());
    assertEquals(404, server.http().download("/shared/missing.js", null).status());
    assertEquals("not_found", server.http().download("/shared/missing.js", null).json().path("error").path("code")
        .asText());
    assertEquals(405, server.http().send("POST", "/shared/index.html", null, "{}").status());
    String redirect = raw("GET /shared HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(redirect.startsWith("HTTP/1.1 301") && redirect.toLowerCase().contains("location: /shared/"),
        redirect);
    String root = raw("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(root.startsWith("HTTP/1.1 301") && root.toLowerCase().contains("location: /admin/"), root);
  }

  /** A request written by hand, so nothing normalizes its path on the way. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
