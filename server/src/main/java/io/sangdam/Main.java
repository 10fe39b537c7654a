package io.sangdam;

import io.sangdam.config.Config;
import io.sangdam.config.ConfigException;
import io.sangdam.config.ConfigLoader;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code sangdam [--config FILE]}: loads the configuration and runs the server until SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Path configFile = Path.of(System.getenv().getOrDefault("SANGDAM_CONFIG", "conf/sangdam.properties"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else {
        System.err.println("usage: sangdam [--config FILE]");
        System.exit(2);
      }
    }
    Config config;
    try {
      config = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Server server = new Server(config);
    try {
      server.start();
    } catch (RuntimeException e) {
      log.error("Sangdam could not start: {}", e.getMessage(), e);
      server.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
  }
}
