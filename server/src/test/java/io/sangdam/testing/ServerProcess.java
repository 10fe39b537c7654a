package io.sangdam.testing;

import io.sangdam.store.HotThreadGuard;
import io.sangdam.threads.HotThreads;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server in a JVM of its own ({@code java -cp <this test run's classpath> io.sangdam.Main run}),
 * configured by SANGDAM_* variables and listening on a free loopback port: for tests that kill it
 * with SIGKILL, or that need its exit status. Its output goes to {@code log}.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a server with {@code settings} (configuration keys, as {@link TestServer#with}). */
  public static ServerProcess start(Map<String, String> settings, Path log) throws IOException {
    return start(settings, Map.of(), log);
  }

  /** As {@link #start(Map, Path)}, with {@code environment} (such as PATH) over this JVM's own. */
  public static ServerProcess start(Map<String, String> settings, Map<String, String> environment, Path log)
      throws IOException {
    return launch(List.of("run"), settings, environment, log);
  }

  /** Runs a one-shot command of {@code sangdam} (such as {@code migrate}) with {@code settings}; see {@link #awaitExit}. */
  public static ServerProcess command(List<String> words, Map<String, String> settings, Path log) throws IOException {
    return launch(words, settings, Map.of(), log);
  }

  private static ServerProcess launch(List<String> words, Map<String, String> settings,
      Map<String, String> environment, Path log) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        // The child fails JDBC on its hot threads as this JVM does; it says so in its log.
        "-D" + HotThreads.GUARD_PROPERTY + "=" + Boolean.getBoolean(HotThreads.GUARD_PROPERTY),
        "-Dlogback.configurationFile=" + Path.of(System.getProperty("sangdam.root", ".."), "conf", "logback.xml"),
        "-cp", System.getProperty("java.class.path"), "io.sangdam.Main"));
    command.addAll(words);
    command.addAll(List.of("--config", log.resolveSibling("none.properties").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = new HashMap<>();
    settings.forEach((key, value) -> env.put(io.sangdam.config.ConfigLoader.envName(key), value));
    env.put("SANGDAM_HTTP_HOST", "127.0.0.1");
    env.put("SANGDAM_HTTP_PORT", String.valueOf(port));
    env.put("SANGDAM_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
    env.putAll(environment);
    builder.environment().putAll(env);
    return new ServerProcess(builder.start(), port, log);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Http http() {
    return new Http(URI.create("http://127.0.0.1:" + port));
  }

  public WsClient customer() {
    return WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/customer")).ignoring("queue");
  }

  public WsClient agent() {
    return WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/agent"));
  }

  /** Polls {@code /ready} until 200; fails if the process ends first or {@code timeout} passes. */
  public ServerProcess awaitReady(Duration timeout) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    try {
      Eventually.eventually("/ready answers 200", () -> {
        if (!process.isAlive()) {
          throw new AssertionError("the server exited with " + process.exitValue());
        }
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
          return -1; // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }, status -> status == 200, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + log(), e);
    }
    return this;
  }

  /** Waits for the process to end by itself; its exit status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout);
    }
    return process.exitValue();
  }

  /** SIGKILL of the JVM alone, as the kernel's OOM killer does it; returns once it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Everything the server has written so far. */
  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * SIGTERM (a clean stop), then SIGKILL if it does not end within a minute. Fails if the server
   * ran JDBC on a hot thread (its guard logged it), as {@link TestServer} does for a server in this JVM.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    String written;
    try {
      written = log();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int refused = written.indexOf(HotThreadGuard.REFUSED);
    if (refused >= 0) {
      throw new AssertionError("the server process ran JDBC on a hot thread:\n"
          + written.substring(refused, Math.min(written.length(), refused + 4000)));
    }
  }
}
