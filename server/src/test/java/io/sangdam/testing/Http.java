package io.sangdam.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A small JSON client for the REST API. */
public final class Http {
  private final URI base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Http(URI base) {
    this.base = base;
  }

  public record Response(int status, JsonNode body) {
    public String errorCode() {
      return body.path("error").path("code").asText();
    }
  }

  public Response send(String method, String path, String token, Object body) {
    String text = body == null ? "" : body instanceof String s ? s : body.toString();
    return sendRaw(method, path, token, text.getBytes(StandardCharsets.UTF_8));
  }

  public Response sendRaw(String method, String path, String token, byte[] body) {
    return send(method, path, token, "application/json", body);
  }

  /** A raw body with its own type, as a file upload sends it; {@code contentType} null sends none. */
  public Response send(String method, String path, String token, String contentType, byte[] body) {
    Download answer = exchange(method, path, token, contentType, body);
    return new Response(answer.status(), answer.body().length == 0 ? MissingNode.getInstance() : answer.json());
  }

  /** A file as the server sends it: status, headers and the raw bytes. */
  public record Download(int status, HttpHeaders headers, byte[] body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public JsonNode json() {
      return Json.parse(new String(body, StandardCharsets.UTF_8));
    }
  }

  /** A JSON body sent with headers of the caller's own (a channel's signature), no token. */
  public Response sendSigned(String method, String path, java.util.Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    headers.forEach(request::header);
    try {
      HttpResponse<byte[]> r = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body().length == 0 ? MissingNode.getInstance()
          : Json.parse(new String(r.body(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Download download(String path, String token) {
    return exchange("GET", path, token, null, new byte[0]);
  }

  /** Any request, its answer kept as bytes whatever it is. */
  public Download exchange(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(15))
        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Download(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Asks {@code GET path} ten times a second until it answers {@code status}: for states only a
   * poll can see, as {@code /ready} during a database outage. Fails after {@code within}.
   */
  public void awaitStatus(String path, int status, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (send("GET", path, null, null).status() != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " did not answer " + status + " within " + within);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  public JsonNode expect(int status, String method, String path, String token, Object body) {
    Response r = send(method, path, token, body);
    assertEquals(status, r.status(), () -> method + " " + path + " answered " + r.body());
    return r.body();
  }

  public String login(String tenant, String username, String password) {
    Object body = tenant == null ? Json.of("username", username, "password", password)
        : Json.of("tenant", tenant, "username", username, "password", password);
    return expect(200, "POST", "/api/login", null, body).path("token").asText();
  }
}
