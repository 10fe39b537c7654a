package io.sangdam;

import io.sangdam.config.Config;
import io.sangdam.config.ConfigException;
import io.sangdam.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sangdam [run|migrate|create-admin USERNAME|restore-db FILE|version] [--config FILE]}: runs
 * the server until SIGTERM (the default), applies the migrations and exits, creates an HQ
 * administrator (the password from {@code SANGDAM_NEW_PASSWORD} or the first line of standard
 * input), loads a backup's dump into the database (the server stopped), or prints the version.
 * Exit codes: 0 done, 1 failed, 2 usage or configuration error.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  private static final String USAGE =
      "usage: sangdam [run|migrate|create-admin USERNAME|restore-db FILE|version] [--config FILE]";

  private Main() {}

  public static void main(String[] args) throws IOException {
    Path configFile = Path.of(System.getenv().getOrDefault("SANGDAM_CONFIG", "conf/sangdam.properties"));
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        words.add(args[i]);
      }
    }
    String command = words.isEmpty() ? "run" : words.get(0);
    if (command.equals("version")) {
      System.out.println("sangdam " + version());
      return;
    }
    boolean known = (command.equals("run") || command.equals("migrate")) && words.size() == 1
        || (command.equals("create-admin") || command.equals("restore-db")) && words.size() == 2;
    if (!known && !words.isEmpty()) {
      System.err.println(USAGE);
      System.exit(2);
    }
    Config config;
    try {
      config = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    switch (command) {
      case "migrate" -> oneShot(() -> Commands.migrate(config));
      case "create-admin" -> {
        String password = System.getenv("SANGDAM_NEW_PASSWORD");
        if (password == null) {
          System.err.print("password for " + words.get(1) + ": ");
          String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
          password = line == null ? "" : line;
        }
        String given = password;
        oneShot(() -> Commands.createAdmin(config, words.get(1), given));
      }
      case "restore-db" -> oneShot(() -> {
        try {
          Commands.restoreDatabase(config, Path.of(words.get(1)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      default -> run(config);
    }
  }

  private static void run(Config config) {
    Server server = new Server(config);
    // Registered first: a SIGTERM during a long start (migrations) waits for it, then stops cleanly;
    // a start that fails exits, and the hook stops what it had started.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    try {
      server.start();
    } catch (RuntimeException e) {
      log.error("Sangdam could not start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  private static void oneShot(Runnable command) {
    try {
      command.run();
    } catch (RuntimeException e) {
      System.err.println("failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /** The version the jar was built as, from its manifest; "development" when run from classes. */
  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
