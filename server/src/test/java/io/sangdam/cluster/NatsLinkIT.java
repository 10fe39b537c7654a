package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.KeyValue;
import io.sangdam.metrics.Metrics;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The node's connection to a real nats-server: refused without JetStream or without a server, kept
 * through the server's restart (its gauge following) and freeze, and its buckets on disk, created once.
 */
class NatsLinkIT {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);

  @TempDir
  Path dir;

  @Test
  void aServerWithoutJetStreamIsRefusedSayingHowToStartIt() {
    try (NatsServer nats = NatsServer.withoutJetStream(dir)) {
      NodeLease.Refused refused = assertThrows(NodeLease.Refused.class,
          () -> NatsLink.connect(nats.url(), "seoul-1", HEARTBEAT, new SimpleMeterRegistry()));
      assertTrue(refused.getMessage().contains("the NATS server at " + nats.url() + " has no JetStream; start "
          + "nats-server with -js"), refused.getMessage());
    }
  }

  @Test
  void aServerThatDoesNotAnswerAtStartIsRefusedNamingItsUrl() {
    String url;
    try (NatsServer nats = NatsServer.start(dir)) {
      url = nats.url();
    }
    NodeLease.Refused refused = assertThrows(NodeLease.Refused.class,
        () -> NatsLink.connect(url, "seoul-1", HEARTBEAT, new SimpleMeterRegistry()));
    assertTrue(refused.getMessage().startsWith("cannot reach the NATS server at " + url + " (cluster.natsUrl)"),
        refused.getMessage());
  }

  @Test
  void theLinkReconnectsAfterTheServerRestartsAndItsGaugeFollows() throws Exception {
    try (Metrics metrics = new Metrics(); NatsServer nats = NatsServer.start(dir);
        NatsLink link = NatsLink.connect(nats.url(), "seoul-1", HEARTBEAT, metrics.registry())) {
      assertTrue(link.connected());
      assertEquals(1.0, gauge(metrics));
      KeyValue bucket = link.bucket("sangdam-test", Duration.ofMinutes(1));
      bucket.put("kept", "on disk".getBytes(StandardCharsets.UTF_8));

      nats.kill();
      eventually("disconnected", () -> !link.connected());
      assertEquals(0.0, gauge(metrics));
      nats.start();
      eventually("reconnected", link::connected);
      assertEquals(1.0, gauge(metrics));
      assertEquals("on disk", eventually("the value back, from the restarted server's store",
          () -> valueOf(link.bucket("sangdam-test", Duration.ofMinutes(1)), "kept"), "on disk"::equals));
    }
  }

  @Test
  void aFrozenServerIsNoticedByItsUnansweredPingsAndTheLinkComesBackWhenItThaws() {
    try (NatsServer nats = NatsServer.start(dir); NatsLink link = NatsLink.connect(nats.url(), "seoul-1", HEARTBEAT,
        new SimpleMeterRegistry())) {
      nats.freeze();
      try {
        eventually("disconnected from the frozen server", () -> !link.connected());
      } finally {
        nats.thaw();
      }
      eventually("reconnected", link::connected);
    }
  }

  @Test
  void anOutageIsReportedOnceNotAtEachAttemptToReconnect() {
    Logger logger = (Logger) LoggerFactory.getLogger(NatsLink.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try (NatsServer nats = NatsServer.start(dir); NatsLink link = NatsLink.connect(nats.url(), "seoul-1", HEARTBEAT,
        new SimpleMeterRegistry())) {
      java.util.concurrent.atomic.AtomicInteger disconnections = new java.util.concurrent.atomic.AtomicInteger();
      link.connection().addConnectionListener((connection, event) -> {
        if (event == io.nats.client.ConnectionListener.Events.DISCONNECTED) {
          disconnections.incrementAndGet();
        }
      });
      nats.kill();
      // jnats says DISCONNECTED again after each attempt to reconnect that fails.
      eventually("three attempts to reconnect failed", () -> disconnections.get() >= 3);
      assertEquals(1, count(logged, "disconnected from NATS; reconnecting"), "one warning for the outage");
      nats.start();
      eventually("reconnected", link::connected);
      nats.kill();
      eventually("the next outage reported", () -> count(logged, "disconnected from NATS; reconnecting") == 2);
    } finally {
      logger.detachAppender(logged);
    }
  }

  private static long count(ListAppender<ILoggingEvent> logged, String message) {
    synchronized (logged) { // the appender appends under its own lock
      return logged.list.stream().filter(e -> e.getFormattedMessage().equals(message)).count();
    }
  }

  @Test
  void aBucketMadeWithAnotherTtlTakesTheNewOne() throws Exception {
    try (NatsServer nats = NatsServer.start(dir); NatsLink link = NatsLink.connect(nats.url(), "seoul-1", HEARTBEAT,
        new SimpleMeterRegistry())) {
      link.bucket("sangdam-test", Duration.ofSeconds(5)).put("k", "v".getBytes(StandardCharsets.UTF_8));
      KeyValue again = link.bucket("sangdam-test", Duration.ofSeconds(5));
      assertEquals("v", new String(again.get("k").getValue(), StandardCharsets.UTF_8), "the same bucket, kept");
      KeyValue longer = link.bucket("sangdam-test", Duration.ofSeconds(30));
      assertEquals(Duration.ofSeconds(30), longer.getStatus().getTtl());
      assertEquals("v", new String(longer.get("k").getValue(), StandardCharsets.UTF_8));
    }
  }

  private static String valueOf(KeyValue bucket, String key) {
    try {
      var entry = bucket.get(key);
      return entry == null ? null : new String(entry.getValue(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** As Prometheus reads it. */
  private static double gauge(Metrics metrics) {
    Matcher m = Pattern.compile("(?m)^sangdam_cluster_nats_connected (\\S+)$").matcher(metrics.scrape());
    assertTrue(m.find(), metrics.scrape());
    return Double.parseDouble(m.group(1));
  }
}
