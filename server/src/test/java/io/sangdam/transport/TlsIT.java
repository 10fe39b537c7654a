package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS and WSS on the one port, with a PEM certificate and key from the configuration. */
class TlsIT {
  private static final Path DIR = selfSigned();

  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("http.tls.certificate", DIR.resolve("cert.pem").toString())
      .with("http.tls.privateKey", DIR.resolve("key.pem").toString());

  /** A certificate for localhost made with openssl, as an operator would for a test installation. */
  private static Path selfSigned() {
    try {
      Path dir = Files.createTempDirectory("sangdam-tls");
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("openssl could not make a test certificate");
      }
      return dir;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpClient trusting() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(DIR.resolve("cert.pem"))) {
      trust.setCertificateEntry("sangdam", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void restAndWebSocketsSpeakTlsAndPlainHttpGetsNothing() throws Exception {
    HttpClient https = trusting();
    String base = "127.0.0.1:" + server.port();
    HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://" + base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals(200, https.send(HttpRequest.newBuilder(URI.create("https://" + base + "/admin/")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode(), "the web apps come over TLS too");

    CompletableFuture<String> answer = new CompletableFuture<>();
    WebSocket ws = https.newWebSocketBuilder().buildAsync(URI.create("wss://" + base + "/ws/customer"),
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            answer.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    ws.sendText("{\"type\":\"hello\",\"tenant\":\"nobody\",\"center\":\"none\"}", true);
    assertTrue(answer.get(10, TimeUnit.SECONDS).contains("\"code\":\"not_found\""), "a WSS session answers");
    ws.abort();

    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://" + base + "/health"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()),
        "no plain HTTP on a TLS port");
  }
}
