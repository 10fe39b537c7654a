package io.sangdam.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server under test in its own JVM, so its heap and CPU are its own: started, awaited, weighed, stopped. */
final class Child implements AutoCloseable {
  /** G1's and the parallel collector's line ("heap total 4096K, used 1024K"), or ZGC's ("ZHeap used 2548M, ..."). */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K|ZHeap\\s+used (\\d+)M");

  private final String name;
  private final Process process;
  final long startedNanos;

  private Child(String name, Process process, long startedNanos) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
  }

  /** Starts {@code command}, its output going to {@code log}. */
  static Child start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    long started = System.nanoTime();
    return new Child(name, builder.start(), started);
  }

  /** The java of this JVM, for children started the same way. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Polls {@code url} until it answers 200; returns the milliseconds since the process started. */
  long awaitOk(String url, Duration timeout) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log");
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(name + " did not answer " + url + " within " + timeout);
  }

  /** The heap in use after full collections, in bytes, as the JVM itself reports it (jcmd). */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    jcmd("GC.run");
    return heapUsed();
  }

  /** The heap in use now, garbage included, in bytes. */
  long heapUsed() throws IOException, InterruptedException {
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the heap from: " + info);
    }
    return m.group(1) != null ? Long.parseLong(m.group(1)) * 1024 : Long.parseLong(m.group(2)) * 1024 * 1024;
  }

  /** The process's CPU time so far (user and system, from /proc), in nanoseconds. */
  long cpuNanos() throws IOException {
    return cpuNanos(process.pid());
  }

  /** The embedded MariaDB this server started (its mysqld or mariadbd child), if any. */
  Optional<ProcessHandle> database() {
    return process.descendants().filter(p -> p.info().command().map(c -> c.contains("mysqld") || c.contains("mariadbd"))
        .orElse(false)).findFirst();
  }

  /** The sockets the process holds open (its file descriptors that are sockets). */
  long sockets() throws IOException {
    long count = 0;
    try (var fds = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            count++;
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed between listing and reading it
        }
      }
    }
    return count;
  }

  /** utime + stime of {@code pid}, fields 14 and 15 of /proc/pid/stat, in clock ticks of 10 ms (USER_HZ 100). */
  static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    // The command (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  /** {@code jcmd <pid> command}: what it printed; fails if it fails. */
  String jcmd(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(process.pid()), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** CPU time used: by the process itself, and by its descendants (the embedded MariaDB of a server). */
  record Cpu(Duration own, Duration children) {
    static final Cpu NONE = new Cpu(Duration.ZERO, Duration.ZERO);

    Cpu minus(Cpu earlier) {
      return new Cpu(own.minus(earlier.own), children.minus(earlier.children));
    }
  }

  /** The CPU time this process and its descendants have used so far. */
  Cpu cpu() {
    return new Cpu(process.info().totalCpuDuration().orElse(Duration.ZERO), process.descendants()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO)).reduce(Duration.ZERO, Duration::plus));
  }

  /** SIGKILL, as the OOM killer or a power cut ends it (no goodbye); returns once it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as an operator stops it, then waits for the process to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
