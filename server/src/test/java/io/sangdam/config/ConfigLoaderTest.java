package io.sangdam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path SHIPPED = Path.of(System.getProperty("sangdam.root", ".."), "conf", "sangdam.properties");

  @TempDir
  Path dir;

  @Test
  void theShippedFileLoadsAndNamesEveryKeyWithAComment() throws IOException {
    Config config = ConfigLoader.load(SHIPPED, Map.of());
    assertEquals(8080, config.http().port());
    assertEquals("0.0.0.0", config.http().host());
    assertTrue(config.db().embedded());
    assertEquals(Path.of("data"), config.dataDir());
    assertFalse(config.demo());

    Properties shipped = new Properties();
    shipped.load(Files.newBufferedReader(SHIPPED, StandardCharsets.UTF_8));
    assertEquals(ConfigLoader.DEFAULTS.keySet(), shipped.stringPropertyNames(), "the shipped file lists every key");
    for (String key : ConfigLoader.DEFAULTS.keySet()) {
      assertEquals(ConfigLoader.DEFAULTS.get(key), shipped.getProperty(key), key + " ships with its default");
    }
    String text = Files.readString(SHIPPED);
    for (String key : ConfigLoader.DEFAULTS.keySet()) {
      int at = text.indexOf("\n" + key + "=");
      assertTrue(text.substring(0, at).stripTrailing().lines().reduce((a, b) -> b).orElse("").startsWith("#"),
          key + " has a comment above it");
    }
  }

  @Test
  void aMissingFileMeansDefaults() {
    Config config = ConfigLoader.load(dir.resolve("none.properties"), Map.of());
    assertEquals(10, config.db().poolSize());
    assertEquals(Duration.ofSeconds(60), config.db().queryTimeout());
    assertEquals(Duration.ofMinutes(720), config.auth().tokenTtl());
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws IOException {
    Path file = write("http.port=9000\ndb.poolSize=3\n");
    Config config = ConfigLoader.load(file, Map.of("SANGDAM_HTTP_PORT", "18080", "SANGDAM_DB_URL",
        "jdbc:mariadb://db:3306/sangdam", "SANGDAM_DATA_DIR", "./data2"));
    assertEquals(18080, config.http().port());
    assertEquals(3, config.db().poolSize());
    assertEquals("jdbc:mariadb://db:3306/sangdam", config.db().url());
    assertFalse(config.db().embedded());
    assertEquals(Path.of("./data2"), config.dataDir());
  }

  @Test
  void adminPasswordComesFromEitherVariable() {
    assertEquals("from-short-name", ConfigLoader.load(null, Map.of("SANGDAM_ADMIN_PASSWORD", "from-short-name"))
        .auth().initialAdminPassword().orElseThrow());
    assertEquals("from-key-name", ConfigLoader.load(null, Map.of("SANGDAM_ADMIN_PASSWORD", "from-short-name",
        "SANGDAM_ADMIN_INITIALPASSWORD", "from-key-name")).auth().initialAdminPassword().orElseThrow());
    assertTrue(ConfigLoader.load(null, Map.of()).auth().initialAdminPassword().isEmpty());
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt() throws IOException {
    Path file = write("http.prot=8080\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
    assertTrue(e.getMessage().contains("unknown configuration key 'http.prot'"), e.getMessage());
  }

  @Test
  void badValuesFailWithExactMessages() {
    assertEquals("http.port must be between 0 and 65535, got 70000", error("SANGDAM_HTTP_PORT", "70000"));
    assertEquals("http.port must be a whole number, got 'eighty'", error("SANGDAM_HTTP_PORT", "eighty"));
    assertEquals("db.poolSize must be between 1 and 200, got 0", error("SANGDAM_DB_POOLSIZE", "0"));
    assertEquals("db.queryTimeoutSeconds must be between 10 and 86400, got 5",
        error("SANGDAM_DB_QUERYTIMEOUTSECONDS", "5"));
    assertEquals("demo.enabled must be true or false, got 'yes'", error("SANGDAM_DEMO_ENABLED", "yes"));
    assertEquals("db.url must be a jdbc:mariadb: URL, got 'postgres://x'", error("SANGDAM_DB_URL", "postgres://x"));
    assertEquals("admin.initialPassword must have at least 8 characters", error("SANGDAM_ADMIN_PASSWORD", "short"));
    assertEquals("data.dir must not be empty", error("SANGDAM_DATA_DIR", " "));
    assertEquals("attachments.allowedTypes must list media types such as image/png, got 'pdf'",
        error("SANGDAM_ATTACHMENTS_ALLOWEDTYPES", "image/png, pdf"));
  }

  @Test
  void signInSettingsHaveDefaultsAndLimits() {
    Config.Auth auth = ConfigLoader.load(null, Map.of()).auth();
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), auth.hashingThreads(),
        "half the cores, at least 1");
    assertEquals(1, ConfigLoader.hashingThreads(1));
    assertEquals(1, ConfigLoader.hashingThreads(2), "a 2-core host keeps a core for everything else");
    assertEquals(1, ConfigLoader.hashingThreads(3));
    assertEquals(4, ConfigLoader.hashingThreads(8));
    assertEquals(3, ConfigLoader.load(null, Map.of("SANGDAM_AUTH_HASHINGTHREADS", "3")).auth().hashingThreads());
    assertEquals(64, auth.hashingQueue());
    assertEquals(io.sangdam.auth.PasswordHasher.ITERATIONS, auth.passwordIterations(), "OWASP's figure");
    assertEquals("auth.passwordIterations must be between 1000 and 10000000, got 999",
        error("SANGDAM_AUTH_PASSWORDITERATIONS", "999"));
    assertEquals(new Config.Throttle(Duration.ofMinutes(15), 50, 5, 20, Duration.ofSeconds(10)), auth.throttle());
    assertEquals("auth.hashingThreads must be between 1 and 64, got 0", error("SANGDAM_AUTH_HASHINGTHREADS", "0"));
    assertEquals("auth.throttle.accountAddressFailures must be between 1 and 1000000, got 0",
        error("SANGDAM_AUTH_THROTTLE_ACCOUNTADDRESSFAILURES", "0"));
    assertEquals("auth.throttle.maxDelaySeconds must be between 0 and 60, got 61",
        error("SANGDAM_AUTH_THROTTLE_MAXDELAYSECONDS", "61"));
    assertEquals("http.trustedProxies must list IP addresses or CIDR ranges such as 10.0.0.0/8, got 'proxy.lan'",
        error("SANGDAM_HTTP_TRUSTEDPROXIES", "10.0.0.1, proxy.lan"));
  }

  @Test
  void allowedFileTypesAreAListOfMediaTypes() {
    Config config = ConfigLoader.load(null, Map.of("SANGDAM_ATTACHMENTS_ALLOWEDTYPES", " Image/PNG, text/csv ,,"));
    assertEquals(Set.of("image/png", "text/csv"), config.attachments().allowedTypes());
    assertTrue(ConfigLoader.load(null, Map.of()).attachments().allowedTypes().contains("application/pdf"));
  }

  @Test
  void theChannelOutboxClaimOutlastsAnAttempt() {
    assertEquals(java.time.Duration.ofSeconds(60), ConfigLoader.load(null, Map.of()).channelOutboundClaim());
    assertEquals(io.sangdam.channel.OutboundDeliveries.MIN_CLAIM, ConfigLoader.load(null,
        Map.of("SANGDAM_CHANNELS_OUTBOUNDCLAIMSECONDS", "30")).channelOutboundClaim());
    assertEquals("channels.outboundClaimSeconds must be between 30 and 3600, got 20",
        error("SANGDAM_CHANNELS_OUTBOUNDCLAIMSECONDS", "20"));
  }

  @Test
  void theNodeLeaseTimingsAreCheckedTogether() {
    Config.Cluster defaults = ConfigLoader.load(null, Map.of()).cluster();
    assertEquals(java.util.Optional.empty(), defaults.nodeName(), "unnamed: the host name stands for it");
    assertEquals(java.time.Duration.ofSeconds(30), defaults.lease());
    assertEquals(java.time.Duration.ofSeconds(10), defaults.heartbeat());
    assertEquals("cluster.heartbeatSeconds must be less than cluster.leaseSeconds, got 5 and 5",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SANGDAM_CLUSTER_LEASESECONDS", "5",
            "SANGDAM_CLUSTER_HEARTBEATSECONDS", "5"))).getMessage());
    assertEquals("cluster.leaseSeconds must be between 2 and 3600, got 1", error("SANGDAM_CLUSTER_LEASESECONDS", "1"));
    assertEquals("web-1", ConfigLoader.load(null, Map.of("SANGDAM_CLUSTER_NODENAME", " web-1 ")).cluster().nodeName()
        .orElseThrow());
  }

  @Test
  void theBodyBudgetHoldsAtLeastTheLargestBody() {
    assertEquals(268_435_456, ConfigLoader.load(null, Map.of()).http().connections().maxBodyBytesInFlight());
    assertEquals("http.maxBodyBytesInFlight must be at least http.maxRequestBytes and attachments.maxBytes "
        + "(10485760), got 2000000", error("SANGDAM_HTTP_MAXBODYBYTESINFLIGHT", "2000000"));
  }

  @Test
  void theSearchIndexReadsEverySecondUnlessTold() {
    assertEquals(Duration.ofSeconds(1), ConfigLoader.load(null, Map.of()).search().indexEvery());
    assertEquals(Duration.ofMillis(250),
        ConfigLoader.load(null, Map.of("SANGDAM_SEARCH_INDEXEVERYMILLIS", "250")).search().indexEvery());
    assertEquals("search.indexEveryMillis must be between 100 and 60000, got 0",
        error("SANGDAM_SEARCH_INDEXEVERYMILLIS", "0"));
    assertEquals("search.indexEveryMillis must be between 100 and 60000, got 60001",
        error("SANGDAM_SEARCH_INDEXEVERYMILLIS", "60001"));
  }

  private static String error(String variable, String value) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(variable, value))).getMessage();
  }

  private Path write(String content) throws IOException {
    Path file = dir.resolve("sangdam.properties");
    Files.writeString(file, content);
    return file;
  }
}
