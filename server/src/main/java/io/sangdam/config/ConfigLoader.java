package io.sangdam.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the properties file, applies environment overrides and validates every value.
 *
 * <p>Each key {@code a.bC} may be overridden by {@code SANGDAM_A_BC}; the environment wins over
 * the file. {@code SANGDAM_ADMIN_PASSWORD} is also accepted for {@code admin.initialPassword},
 * as PROTOCOL.md promises.
 */
public final class ConfigLoader {

  /** Every key with its default; the only place defaults live. */
  static final Map<String, String> DEFAULTS = defaults();
  private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("http.host", "0.0.0.0");
    d.put("http.port", "8080");
    d.put("http.maxRequestBytes", "1048576");
    d.put("http.idleSeconds", "60");
    d.put("http.tls.certificate", "");
    d.put("http.tls.privateKey", "");
    d.put("http.maxConnections", "100000");
    d.put("http.maxConnectionsPerAddress", "5000");
    d.put("http.requestHeadSeconds", "20");
    d.put("http.maxBodyBytesInFlight", "268435456");
    d.put("http.helloSeconds", "30");
    d.put("http.trustedProxies", "");
    d.put("data.dir", "data");
    d.put("db.url", "");
    d.put("db.user", "root");
    d.put("db.password", "");
    d.put("db.poolSize", "10");
    d.put("db.queryTimeoutSeconds", "60");
    d.put("admin.initialPassword", "");
    d.put("auth.tokenTtlMinutes", "720");
    // Empty: half the cores, at least 1 (hashingThreads); a number in the file or the environment wins.
    d.put("auth.hashingThreads", "");
    d.put("auth.hashingQueue", "64");
    // PasswordHasher.ITERATIONS, OWASP's figure for PBKDF2-HMAC-SHA256.
    d.put("auth.passwordIterations", "600000");
    d.put("auth.throttle.windowSeconds", "900");
    d.put("auth.throttle.addressFailures", "50");
    d.put("auth.throttle.accountAddressFailures", "5");
    d.put("auth.throttle.accountFailures", "20");
    d.put("auth.throttle.maxDelaySeconds", "10");
    d.put("limits.wsMessagesPerSecond", "20");
    d.put("limits.wsBurst", "60");
    d.put("limits.wsOutboundBytes", "1048576");
    d.put("limits.wsConnectionsPerIdentity", "10");
    d.put("writer.maxBatch", "500");
    d.put("routing.agentGraceSeconds", "120");
    d.put("chat.customerGraceSeconds", "60");
    d.put("chat.idleWarningSeconds", "600");
    d.put("chat.idleCloseSeconds", "300");
    d.put("attachments.maxBytes", "10485760");
    d.put("crypto.keyFile", "");
    d.put("attachments.allowedTypes", String.join(",", "image/png", "image/jpeg", "image/gif", "image/webp",
        "application/pdf", "text/plain", "application/x-hwp",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"));
    d.put("demo.enabled", "false");
    d.put("webhooks.allowLoopback", "false");
    d.put("channels.outboundRetrySeconds", "86400");
    d.put("channels.outboundClaimSeconds", "60");
    d.put("cluster.nodeName", "");
    d.put("cluster.leaseSeconds", "30");
    d.put("cluster.heartbeatSeconds", "10");
    d.put("cluster.natsUrl", "");
    d.put("cluster.centers", "");
    d.put("cluster.centerLeaseSeconds", "5");
    d.put("cluster.centerHeartbeatMillis", "1000");
    d.put("retention.minimumDays", "0");
    d.put("retention.everyMinutes", "60");
    d.put("retention.batchSize", "200");
    // Empty: data.dir/access-log.key.
    d.put("accessLog.keyFile", "");
    d.put("accessLog.keepDays", "730");
    d.put("accessLog.bulkExportSubjects", "100");
    // Empty: data.dir/search-index.
    d.put("search.indexDir", "");
    d.put("search.indexEveryMillis", "1000");
    return Map.copyOf(d);
  }

  private ConfigLoader() {}

  /**
   * The default of {@code auth.hashingThreads}: half the cores, at least 1. Each thread keeps a core
   * busy through a login flood, so the other half stays free for {@code /health}, the widget and chat.
   */
  static int hashingThreads(int cores) {
    return Math.max(1, cores / 2);
  }

  /** Loads {@code file} if it exists (a missing file means all defaults), then the environment. */
  public static Config load(Path file, Map<String, String> env) {
    Properties props = new Properties();
    if (file != null && Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(in);
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      if (!DEFAULTS.containsKey(key)) {
        throw new ConfigException("unknown configuration key '" + key + "' in " + file);
      }
      values.put(key, props.getProperty(key).trim());
    }
    for (String key : DEFAULTS.keySet()) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv.trim());
      }
    }
    if (env.containsKey("SANGDAM_ADMIN_PASSWORD") && !env.containsKey(envName("admin.initialPassword"))) {
      values.put("admin.initialPassword", env.get("SANGDAM_ADMIN_PASSWORD"));
    }
    return build(values);
  }

  /** {@code db.poolSize} becomes {@code SANGDAM_DB_POOLSIZE}. */
  public static String envName(String key) {
    return "SANGDAM_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** Both files or neither; each must be readable now, so a typo fails the start, not the first client. */
  private static Config.Tls tls(String certificate, String privateKey) {
    if (certificate.isEmpty() && privateKey.isEmpty()) {
      return null;
    }
    if (certificate.isEmpty() || privateKey.isEmpty()) {
      throw new ConfigException("http.tls.certificate and http.tls.privateKey go together: set both, or neither");
    }
    for (String file : List.of(certificate, privateKey)) {
      if (!Files.isReadable(Path.of(file))) {
        throw new ConfigException("cannot read the TLS file '" + file + "'");
      }
    }
    return new Config.Tls(Path.of(certificate), Path.of(privateKey));
  }

  private static Config build(Map<String, String> values) {
    Values v = new Values(values);
    Config.Http http = new Config.Http(
        v.nonEmpty("http.host"),
        v.integer("http.port", 0, 65535),
        v.integer("http.maxRequestBytes", 1024, 64 * 1024 * 1024),
        v.integer("http.idleSeconds", 1, 3600),
        tls(v.string("http.tls.certificate"), v.string("http.tls.privateKey")),
        new Config.Connections(v.integer("http.maxConnections", 1, 1_000_000),
            v.integer("http.maxConnectionsPerAddress", 1, 1_000_000),
            Duration.ofSeconds(v.integer("http.requestHeadSeconds", 1, 3600)),
            Duration.ofSeconds(v.integer("http.helloSeconds", 1, 3600)),
            v.integer("http.maxBodyBytesInFlight", 1024 * 1024, Integer.MAX_VALUE)),
        TrustedProxies.parse("http.trustedProxies", v.string("http.trustedProxies")));

    Config.Database db = new Config.Database(
        v.string("db.url"), v.string("db.user"), v.string("db.password"), v.integer("db.poolSize", 1, 200),
        Duration.ofSeconds(v.integer("db.queryTimeoutSeconds", 10, 86_400)));
    if (!db.url().isEmpty() && !db.url().startsWith("jdbc:mariadb:") && !db.url().startsWith("jdbc:mysql:")) {
      throw new ConfigException("db.url must be a jdbc:mariadb: URL, got '" + db.url() + "'");
    }
    String adminPassword = v.string("admin.initialPassword");
    if (!adminPassword.isEmpty() && adminPassword.length() < 8) {
      throw new ConfigException("admin.initialPassword must have at least 8 characters");
    }
    Config.Auth auth = new Config.Auth(
        adminPassword.isEmpty() ? Optional.empty() : Optional.of(adminPassword),
        Duration.ofMinutes(v.integer("auth.tokenTtlMinutes", 1, 60 * 24 * 90)),
        v.string("auth.hashingThreads").isEmpty() ? hashingThreads(Runtime.getRuntime().availableProcessors())
            : v.integer("auth.hashingThreads", 1, 64),
        v.integer("auth.hashingQueue", 1, 10_000),
        v.integer("auth.passwordIterations", 1_000, 10_000_000),
        new Config.Throttle(Duration.ofSeconds(v.integer("auth.throttle.windowSeconds", 1, 86_400)),
            v.integer("auth.throttle.addressFailures", 1, 1_000_000),
            v.integer("auth.throttle.accountAddressFailures", 1, 1_000_000),
            v.integer("auth.throttle.accountFailures", 1, 1_000_000),
            Duration.ofSeconds(v.integer("auth.throttle.maxDelaySeconds", 0, 60))));
    Config.Limits limits = new Config.Limits(
        v.integer("limits.wsMessagesPerSecond", 1, 10_000), v.integer("limits.wsBurst", 1, 100_000),
        v.integer("limits.wsOutboundBytes", 256 * 1024, 256 * 1024 * 1024),
        v.integer("limits.wsConnectionsPerIdentity", 1, 1_000));
    Config.Writer writer = new Config.Writer(v.integer("writer.maxBatch", 1, 10_000));
    Config.Timeouts timeouts = new Config.Timeouts(
        Duration.ofSeconds(v.integer("routing.agentGraceSeconds", 0, 86_400)),
        Duration.ofSeconds(v.integer("chat.customerGraceSeconds", 0, 86_400)),
        Duration.ofSeconds(v.integer("chat.idleWarningSeconds", 1, 86_400)),
        Duration.ofSeconds(v.integer("chat.idleCloseSeconds", 1, 86_400)));
    Config.Attachments attachments = new Config.Attachments(
        v.integer("attachments.maxBytes", 1, 100 * 1024 * 1024), v.mediaTypes("attachments.allowedTypes"));
    int largestBody = Math.max(http.maxRequestBytes(), attachments.maxBytes());
    if (http.connections().maxBodyBytesInFlight() < largestBody) {
      throw new ConfigException("http.maxBodyBytesInFlight must be at least http.maxRequestBytes and "
          + "attachments.maxBytes (" + largestBody + "), got " + http.connections().maxBodyBytesInFlight());
    }
    Path dataDir = Path.of(v.nonEmpty("data.dir"));
    String keyFile = v.string("crypto.keyFile").strip();
    Config.Crypto crypto = new Config.Crypto(keyFile.isEmpty() ? dataDir.resolve("field-keys") : Path.of(keyFile));
    return new Config(http, db, dataDir, auth, limits, writer, timeouts, attachments,
        v.bool("demo.enabled"), v.bool("webhooks.allowLoopback"),
        Duration.ofSeconds(v.integer("channels.outboundRetrySeconds", 1, 30 * 86_400)),
        // At least twice an attempt (cut off at 15 s, OutboundDeliveries.ATTEMPT, however many partner calls it
        // makes), room for its outcome to be written on a loaded node: a claim never runs out under an attempt in
        // flight, so no other node starts the conversation's next one meanwhile.
        Duration.ofSeconds(v.integer("channels.outboundClaimSeconds", 30, 3_600)), cluster(v),
        new Config.Retention(v.integer("retention.minimumDays", 0, 36_500),
            Duration.ofMinutes(v.integer("retention.everyMinutes", 1, 7 * 24 * 60)),
            v.integer("retention.batchSize", 1, 10_000)), accessLog(v), crypto,
        new Config.Search(v.string("search.indexDir").isBlank() ? dataDir.resolve("search-index")
            : Path.of(v.string("search.indexDir").strip()),
            Duration.ofMillis(v.integer("search.indexEveryMillis", 100, 60_000))));
  }

  /** Two years at least: the 안전성 확보조치 기준 asks that access records be kept that long. */
  private static Config.AccessLog accessLog(Values v) {
    String keyFile = v.string("accessLog.keyFile");
    return new Config.AccessLog(keyFile.isEmpty() ? Path.of(v.nonEmpty("data.dir"), "access-log.key")
        : Path.of(keyFile), v.integer("accessLog.keepDays", 730, 36_500),
        v.integer("accessLog.bulkExportSubjects", 1, 1_000_000));
  }

  private static Config.Cluster cluster(Values v) {
    String nodeName = v.string("cluster.nodeName");
    if (nodeName.length() > 100) {
      throw new ConfigException("cluster.nodeName must have at most 100 characters");
    }
    int lease = v.integer("cluster.leaseSeconds", 2, 3600);
    int heartbeat = v.integer("cluster.heartbeatSeconds", 1, 3600);
    if (heartbeat >= lease) {
      throw new ConfigException("cluster.heartbeatSeconds must be less than cluster.leaseSeconds, got " + heartbeat
          + " and " + lease);
    }
    String natsUrl = v.string("cluster.natsUrl").strip();
    if (!natsUrl.isEmpty() && !natsUrl.matches("(?i)(nats|tls)://[^\\s]+(,(nats|tls)://[^\\s]+)*")) {
      throw new ConfigException("cluster.natsUrl must be empty (one node) or nats://host:port (several separated by "
          + "commas; tls:// for TLS), got " + natsUrl);
    }
    List<String> centers = new ArrayList<>();
    for (String part : v.string("cluster.centers").split(",")) {
      String center = part.strip();
      if (center.isEmpty()) {
        continue;
      }
      if (!center.matches("[a-z0-9][a-z0-9-]{0,31}/[a-z0-9][a-z0-9-]{0,31}")) {
        throw new ConfigException("cluster.centers must list tenant/center codes separated by commas, got " + center);
      }
      centers.add(center);
    }
    int centerLease = v.integer("cluster.centerLeaseSeconds", 2, 60);
    int centerHeartbeat = v.integer("cluster.centerHeartbeatMillis", 100, 30_000);
    if (centerHeartbeat * 2L > centerLease * 1000L) {
      throw new ConfigException("cluster.centerHeartbeatMillis must be at most half of cluster.centerLeaseSeconds, "
          + "got " + centerHeartbeat + " ms and " + centerLease + " s");
    }
    return new Config.Cluster(nodeName.isEmpty() ? Optional.empty() : Optional.of(nodeName),
        Duration.ofSeconds(lease), Duration.ofSeconds(heartbeat),
        natsUrl.isEmpty() ? Optional.empty() : Optional.of(natsUrl), List.copyOf(centers),
        Duration.ofSeconds(centerLease), Duration.ofMillis(centerHeartbeat));
  }

  /** Typed reads of the merged values, each failing with a message that names the key. */
  private record Values(Map<String, String> values) {
    String string(String key) {
      return values.getOrDefault(key, DEFAULTS.get(key));
    }

    String nonEmpty(String key) {
      String s = string(key);
      if (s.isEmpty()) {
        throw new ConfigException(key + " must not be empty");
      }
      return s;
    }

    int integer(String key, int min, int max) {
      String s = string(key);
      int n;
      try {
        n = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new ConfigException(key + " must be a whole number, got '" + s + "'");
      }
      if (n < min || n > max) {
        throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    }

    /** A comma-separated list of media types ({@code type/subtype}), lower-cased. */
    Set<String> mediaTypes(String key) {
      Set<String> types = new LinkedHashSet<>();
      for (String part : string(key).split(",")) {
        String type = part.trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
          continue;
        }
        if (!MEDIA_TYPE.matcher(type).matches()) {
          throw new ConfigException(key + " must list media types such as image/png, got '" + part.trim() + "'");
        }
        types.add(type);
      }
      return Set.copyOf(types);
    }

    boolean bool(String key) {
      String s = string(key);
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigException(key + " must be true or false, got '" + s + "'");
      };
    }
  }
}
