package io.sangdam.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The mariadbd of a {@link TestServer#embedded} server, found among this JVM's descendants by its
 * data directory, for fault tests: freeze it (SIGSTOP) and thaw it (SIGCONT), or stop it and start
 * it again with the same command line (same port and data). A mariadbd started here is stopped by
 * {@link #close()}; call it before the server stops. Whoever freezes must thaw in a finally.
 */
public final class MariaDbProcess implements AutoCloseable {
  private final String dataDir;
  private final List<Process> started = new ArrayList<>();
  private List<String> commandLine;

  /** {@code dataDir}: the server's {@code data.dir}. */
  public MariaDbProcess(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize().toString();
  }

  /** The running mariadbd whose arguments name this data directory. */
  public ProcessHandle find() {
    return ProcessHandle.current().descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.contains(dataDir))).orElse(false))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mariadbd running on " + dataDir));
  }

  public void freeze() {
    signal("STOP");
  }

  public void thaw() {
    signal("CONT");
  }

  /** Stops mariadbd as an operator would (SIGTERM, a clean shutdown) and waits until it has exited. */
  public void stop() {
    ProcessHandle p = find();
    List<String> line = new ArrayList<>();
    line.add(p.info().command().orElseThrow());
    line.addAll(Arrays.asList(p.info().arguments().orElseThrow()));
    commandLine = line;
    p.destroy();
    awaitExit(p);
  }

  /** Starts mariadbd again as {@link #stop()} found it. */
  public void start() {
    if (commandLine == null) {
      throw new IllegalStateException("start() follows stop()");
    }
    try {
      started.add(new ProcessBuilder(commandLine).redirectErrorStream(true)
          .redirectOutput(Path.of(dataDir, "mariadbd-restarted.log").toFile()).start());
    } catch (IOException e) {
      throw new AssertionError("cannot start " + commandLine, e);
    }
  }

  private void signal(String signal) {
    long pid = find().pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void awaitExit(ProcessHandle p) {
    try {
      p.onExit().get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      p.destroyForcibly();
      throw new AssertionError("mariadbd " + p.pid() + " did not stop within 60 s");
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Stops every mariadbd started here (the server's own embedded one is the server's to stop). */
  @Override
  public void close() {
    for (Process p : started) {
      if (p.isAlive()) {
        p.toHandle().destroy();
        awaitExit(p.toHandle());
      }
    }
  }
}
