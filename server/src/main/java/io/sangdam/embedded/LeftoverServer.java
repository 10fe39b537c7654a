package io.sangdam.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mariadbd left running on our data directory by a server that died without stopping it (kill -9
 * or an OOM kill of the JVM alone). It holds the data directory's locks, so no new one can start on
 * it ("Can't lock aria control file") until it is gone. Found through the pid file the embedded server
 * writes, and stopped only once {@code /proc/<pid>/cmdline} proves it is a mariadbd on exactly this
 * data directory: a pid reused by another process is left alone. The caller holds the directory's
 * lock, so the mariadbd found has no live Sangdam.
 */
final class LeftoverServer {
  private static final Logger log = LoggerFactory.getLogger(LeftoverServer.class);
  /** InnoDB flushes and closes on SIGTERM; an idle server takes well under a second. */
  private static final Duration CLEAN_STOP = Duration.ofSeconds(30);

  private final ProcessHandle process;

  private LeftoverServer(ProcessHandle process) {
    this.process = process;
  }

  /** The mariadbd named by {@code pidFile}, if it is alive and serves {@code dataDir}. */
  static Optional<LeftoverServer> find(Path pidFile, Path dataDir) {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      log.warn("ignoring unreadable pid file {}: {}", pidFile, e.getMessage());
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(p -> servesDataDirectory(commandLine(pid), dataDir))
        .map(LeftoverServer::new);
  }

  /** Whether {@code arguments} (argv, as in {@code /proc/<pid>/cmdline}) run mariadbd on {@code dataDir}. */
  static boolean servesDataDirectory(List<String> arguments, Path dataDir) {
    return !arguments.isEmpty() && Path.of(arguments.get(0)).getFileName().toString().equals("mariadbd")
        && arguments.contains("--datadir=" + dataDir);
  }

  private static List<String> commandLine(long pid) {
    try {
      String raw = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.UTF_8);
      return List.of(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM, so InnoDB closes cleanly; SIGKILL if it has not ended after {@link #CLEAN_STOP}. */
  void stop() {
    process.destroy();
    if (!awaitExit(CLEAN_STOP)) {
      log.warn("leftover mariadbd (pid {}) did not stop within {} s; killing it", pid(), CLEAN_STOP.toSeconds());
      process.destroyForcibly();
      if (!awaitExit(Duration.ofSeconds(10))) {
        throw new IllegalStateException("cannot stop the leftover mariadbd (pid " + pid() + ")");
      }
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the leftover mariadbd", e);
    }
  }
}
