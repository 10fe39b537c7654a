package io.sangdam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Eventually;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator gets it (run by failsafe after {@code mvn package}): unpacked into an
 * empty folder, {@code bin/sangdam} migrates, adds an HQ administrator and sets their password again
 * (typed, or generated and printed; audited), runs in the foreground until SIGTERM, fails a start on
 * a port already taken (exit code 1, no pid file), and starts, reports and stops in the background,
 * all on the embedded MariaDB; then
 * {@code bin/backup} of the running server is restored by {@code bin/restore} into a second,
 * fresh installation, which refuses to read the sealed data until the key files (kept apart from the
 * backup) are put back, then starts with the same data and files.
 */
class DistributionPackageIT {
  @TempDir
  Path dir;

  private Path home;
  private Map<String, String> env;
  /** Every installation and foreground server of the test, stopped afterwards even when it fails. */
  private final List<Path> homes = new java.util.ArrayList<>();
  private final List<Process> foregrounds = new java.util.ArrayList<>();

  @AfterEach
  void stopWhatIsLeft() throws Exception {
    for (Process p : foregrounds) {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    for (Path installed : homes) {
      if (Files.exists(installed.resolve("sangdam.pid"))) {
        new ProcessBuilder(installed.resolve("bin/sangdam").toString(), "stop").start().waitFor(90, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process sangdam(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/sangdam").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    if (args.length > 0 && args[0].equals("run")) {
      foregrounds.add(p);
    }
    return p;
  }

  /** What a command printed and how it ended. */
  private record Outcome(int exit, String output) {}

  /** A command given {@code input} on standard input (null: none), without SANGDAM_NEW_PASSWORD. */
  private Outcome typed(String input, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/sangdam").toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile(dir, "command", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    builder.environment().remove("SANGDAM_NEW_PASSWORD");
    Process p = builder.start();
    try (var stdin = p.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/sangdam " + String.join(" ", args) + " ends");
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("out.log"), printed, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    return new Outcome(p.exitValue(), printed);
  }

  private int exit(String... args) throws Exception {
    Process p = sangdam(args);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bin/sangdam " + String.join(" ", args) + " ends");
    return p.exitValue();
  }

  private Path unpack(Path into) throws Exception {
    Files.createDirectories(into);
    Process untar = new ProcessBuilder("tar", "xzf", System.getProperty("sangdam.distribution"), "-C",
        into.toString()).inheritIO().start();
    assertEquals(0, untar.waitFor());
    Path installed = into.resolve("sangdam-" + System.getProperty("sangdam.version"));
    homes.add(installed);
    return installed;
  }

  private String token(HttpClient http, String base, String username, String password) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password
            + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"token\":\"([^\"]+)\"").matcher(body);
    assertTrue(m.find(), body);
    return m.group(1);
  }

  private int call(HttpClient http, String method, String url, String token, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
  }

  private int get(HttpClient http, String url) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Polls /ready until 200; says whether it answered 503 (starting) on the way. */
  private boolean awaitReady(HttpClient http, String base) throws Exception {
    AtomicBoolean starting = new AtomicBoolean();
    try {
      Eventually.eventually("/ready answers 200", () -> {
        int status;
        try {
          status = get(http, base + "/ready");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        if (status == 503) {
          starting.set(true);
        }
        return status;
      }, status -> status == 200, Duration.ofSeconds(60));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + log(), e);
    }
    return starting.get();
  }

  private int login(HttpClient http, String base, String username, String password) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password
            + "\"}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void theTarballRunsFromAnEmptyFolderWithItsOwnScript() throws Exception {
    home = unpack(dir.resolve("first"));
    for (String part : List.of("bin/sangdam", "lib/sangdam-server.jar", "conf/sangdam.properties", "conf/logback.xml",
        "sql/V001__init.sql", "admin-web/admin/index.html", "systemd/sangdam.service", "bin/backup", "bin/restore",
        "README.md")) {
      assertTrue(Files.exists(home.resolve(part)), part + " is in the tarball");
    }
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    env = Map.of("SANGDAM_HTTP_PORT", String.valueOf(port), "SANGDAM_HTTP_HOST", "127.0.0.1",
        "SANGDAM_ADMIN_PASSWORD", "first-admin-pass", "SANGDAM_NEW_PASSWORD", "second-admin-pass");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    assertEquals(0, exit("version"));
    assertTrue(log().contains("sangdam " + System.getProperty("sangdam.version")), log());
    assertEquals(0, exit("migrate"), log());
    assertEquals(0, exit("create-admin", "hq-kim"), log());
    assertEquals(1, exit("create-admin", "hq-kim"), "the name is taken");
    assertEquals(2, exit("nonsense"));
    assertEquals(0, typed("third-admin-pass\n", "reset-password", "hq-kim").exit(), log());
    Outcome nobody = typed("fourth-admin-pass\n", "reset-password", "nobody");
    assertEquals(1, nobody.exit());
    assertTrue(nobody.output().contains("there is no HQ user 'nobody'"), nobody.output());
    Outcome tooShort = typed("short\n", "reset-password", "hq-kim");
    assertEquals(1, tooShort.exit());
    assertTrue(tooShort.output().contains("8 to 200 characters"), tooShort.output());
    assertEquals(2, exit("reset-password"), "usage: the username is needed");

    Process foreground = sangdam("run");
    assertTrue(awaitReady(http, base), "while the embedded database starts, /ready answers 503");
    assertEquals(200, get(http, base + "/admin/"), "the admin console is served");
    assertEquals(200, login(http, base, "hq-kim", "third-admin-pass"), "reset-password's password signs in");
    assertEquals(401, login(http, base, "hq-kim", "second-admin-pass"), "create-admin's password no longer does");
    String audit = http.send(HttpRequest.newBuilder(URI.create(base + "/api/audit?action=console."))
        .header("Authorization", "Bearer " + token(http, base, "hq-kim", "third-admin-pass")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(audit.contains("\"action\":\"console.reset-password\",\"target\":\"hq-kim\"")
        && audit.contains("\"action\":\"console.create-admin\",\"target\":\"hq-kim\""), audit);
    assertTrue(audit.contains("\"actor\":\"" + System.getProperty("user.name") + " (console)\""), audit);
    assertFalse(audit.contains("third-admin-pass"), "no password is in the audit log");
    foreground.destroy();
    assertTrue(foreground.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops it");
    assertTrue(log().contains("Sangdam stopped"), log());
    String stopped = log();
    assertFalse(stopped.contains("could not release the database's lease"),
        () -> "the embedded database stops after the server, not beside it: " + stopped);

    try (ServerSocket taken = new ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Outcome refused = typed(null, "start");
      assertEquals(1, refused.exit(), "a server that died at its start is no start: " + refused.output());
      assertTrue(refused.output().contains("sangdam failed to start; the last lines of")
          && refused.output().contains("Sangdam could not start: cannot listen on 127.0.0.1:" + port
          + ": Address already in use"), refused.output());
      assertFalse(Files.exists(home.resolve("sangdam.pid")), "no pid file is left naming a dead process");
      assertEquals(3, exit("status"));
    }
    Outcome started = typed(null, "start");
    assertEquals(0, started.exit(), log());
    assertTrue(started.output().contains("sangdam started (pid "), started.output());
    assertEquals(200, get(http, base + "/ready"), "start returns once the server has started");
    assertEquals(0, exit("status"));
    assertTrue(Files.exists(home.resolve("sangdam.pid")));
    Outcome whileRunning = typed("fifth-admin-pass\n", "reset-password", "hq-kim");
    assertEquals(1, whileRunning.exit(), "the embedded database is the running server's");
    assertTrue(whileRunning.output().contains("stop it first"), whileRunning.output());

    String admin = token(http, base, "hq-kim", "third-admin-pass");
    assertEquals(201, call(http, "POST", base + "/api/tenants", admin, "{\"code\":\"kept\",\"name\":\"백업 계열사\"}"));
    Path file = home.resolve("data/attachments/ab/cd/abcd1234");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "첨부 파일");
    Path backup = dir.resolve("backup");
    assertEquals(0, run(home.resolve("bin/backup"), backup.toString()), log());
    for (String part : List.of("database.sql.gz", "attachments.tar.gz", "backup.properties")) {
      assertTrue(Files.size(backup.resolve(part)) > 0, part);
    }
    assertEquals(0, exit("stop"), log());
    assertEquals(3, exit("status"), "stopped");
    assertTrue(Files.readString(home.resolve("logs/sangdam.out")).contains("Sangdam stopped"));
    assertTrue(Files.isDirectory(home.resolve("data/mariadb")), "the data lives in the installation's own folder");

    Path firstData = home.resolve("data");
    home = unpack(dir.resolve("second"));
    assertEquals(0, run(home.resolve("bin/restore"), backup.toString()), log());
    assertTrue(log().contains("put back your copy of the key file(s)"), "the backup holds no keys: " + log());
    Outcome keyless = typed(null, "reset-password", "hq-kim");
    assertEquals(1, keyless.exit(), "without the keys the sealed data cannot be read: " + keyless.output());
    assertTrue(keyless.output().contains("crypto.keyFile"), keyless.output());
    // As an operator does: the key files come back from where they were kept, apart from the backup.
    for (String key : List.of("field-keys", "access-log.key")) {
      Files.copy(firstData.resolve(key), home.resolve("data").resolve(key));
    }
    Outcome generated = typed(null, "reset-password", "hq-kim");
    assertEquals(0, generated.exit(), generated.output());
    java.util.regex.Matcher shown = java.util.regex.Pattern.compile("the new password of hq-kim: (\\S{16})  \\(shown only this once\\)")
        .matcher(generated.output());
    assertTrue(shown.find(), "given none, a password is generated and printed: " + generated.output());
    Process restored = sangdam("run");
    awaitReady(http, base);
    String generatedOnly = token(http, base, "hq-kim", shown.group(1));
    assertEquals(403, call(http, "GET", base + "/api/tenants/kept", generatedOnly, null),
        "a generated password must be changed first");
    assertEquals(200, call(http, "POST", base + "/api/me/password", generatedOnly,
        "{\"current\":\"" + shown.group(1) + "\",\"new\":\"Restored-admin-9\"}"));
    String again = token(http, base, "hq-kim", "Restored-admin-9");
    assertEquals(200, call(http, "GET", base + "/api/tenants/kept", again, null), "the tenant came back");
    assertEquals("첨부 파일", Files.readString(home.resolve("data/attachments/ab/cd/abcd1234")), "so did the file");
    restored.destroy();
    assertTrue(restored.waitFor(60, TimeUnit.SECONDS));
  }

  private int run(Path script, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), script + " ends");
    return p.exitValue();
  }
}
