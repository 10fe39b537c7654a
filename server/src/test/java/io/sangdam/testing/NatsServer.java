package io.sangdam.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code nats-server} (Debian's package, installed by {@code scripts/install-nats}) with
 * JetStream, on a free loopback port, its store under {@code dir}. For the tests of many nodes and
 * their faults: {@link #kill()} it (no goodbye), {@link #freeze()} it as a stalled network would, and
 * {@link #start()} it again on the same port and store.
 */
public final class NatsServer implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Listening for client connections on [^:\\s]+:(\\d+)");
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Path dir;
  private final boolean jetStream;
  private int port;
  private Process process;

  private NatsServer(Path dir, boolean jetStream) {
    this.dir = dir;
    this.jetStream = jetStream;
  }

  /** Starts a nats-server with JetStream, its store and log under {@code dir}. */
  public static NatsServer start(Path dir) {
    NatsServer server = new NatsServer(dir, true);
    server.start();
    return server;
  }

  /** A nats-server without JetStream: a node must refuse it. */
  public static NatsServer withoutJetStream(Path dir) {
    NatsServer server = new NatsServer(dir, false);
    server.start();
    return server;
  }

  /** The executable: on the PATH, or where Debian's package puts it. */
  static String executable() {
    for (String candidate : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("nats-server is not installed: run scripts/install-nats (as root), or install "
        + "Debian's package nats-server");
  }

  /** Starts the server (again, after {@link #kill()} or {@link #stop()}, on the same port and store). */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("nats-server is running");
    }
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("nats-server.log");
      Files.deleteIfExists(log);
      List<String> command = new ArrayList<>(List.of(executable(), "-a", "127.0.0.1",
          "-p", port == 0 ? "-1" : Integer.toString(port), "-l", log.toString()));
      if (jetStream) {
        command.addAll(List.of("-js", "-sd", dir.resolve("jetstream").toString()));
      }
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("nats-server.out").toFile()).start();
      port = awaitPort(log);
    } catch (IOException e) {
      throw new AssertionError("cannot start nats-server", e);
    }
  }

  private int awaitPort(Path log) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("nats-server exited at start: " + read(log) + read(dir.resolve("nats-server.out")));
      }
      String text = read(log);
      Matcher m = LISTENING.matcher(text);
      if (m.find() && text.contains("Server is ready")) {
        return Integer.parseInt(m.group(1));
      }
      sleep(20);
    }
    throw new AssertionError("nats-server did not start in " + STARTUP.toSeconds() + " s: " + read(log));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  /** What a node's {@code cluster.natsUrl} is set to. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Ends the server at once (SIGKILL), as a crash or a pulled cable would. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process);
    }
  }

  /** Stops the server cleanly (SIGTERM). */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor(process);
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered. Thaw it in a finally. */
  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " nats-server failed");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void waitFor(Process p) {
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      signal("CONT");
    }
    kill();
  }
}
