package io.sangdam.store;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.MariaDbProcess;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The campaign's database faults, on a server with its own embedded MariaDB: the database frozen
 * (SIGSTOP) and stopped then started again, while pairs of customers and agents exchange messages
 * and resend what is refused with the same cmid, as the widget and the console do. {@code /ready}
 * and {@code /health} go 503 by themselves and come back by themselves, a login is refused at once
 * with {@code unavailable} and Retry-After, every acknowledged message is stored exactly once, and
 * every resent one once, and the other side of the chat is pushed every stored message once (also
 * one whose COMMIT the freeze caught on its way, answered {@code unavailable} though it committed). The figures (time to 503, login answer, recovery) are printed for the report.
 */
class DatabaseOutageIT {
  private static final Path DATA = Path.of("target", "database-outage-it");
  private static final int PAIRS = 2;
  /** Bounds each sender, whatever happens. */
  private static final int MAX_MESSAGES = 1_000;
  /**
   * A send caught by the outage is answered within the pool's wait for a connection plus the
   * writer's timeout (5 s each); the test gives it more, to fail only on a send never answered.
   */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestServer server = TestServer.embedded(DATA);
  private static final MariaDbProcess mariadb = new MariaDbProcess(DATA);

  @AfterAll
  static void stopRestartedDatabase() {
    mariadb.close();
  }

  @Test
  void aFrozenDatabaseIsReportedWithinSecondsRefusedFastAndRecoveredFromWithoutLoss() throws Exception {
    outage("freeze", mariadb::freeze, mariadb::thaw);
  }

  @Test
  void aDatabaseStoppedAndStartedAgainUnderLoadLosesNothing() throws Exception {
    outage("restart", mariadb::stop, mariadb::start);
  }

  private void outage(String name, Runnable begin, Runnable end) throws Exception {
    Http http = server.http();
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < PAIRS; i++) {
      TestServer.Setup s = server.setUp();
      WsClient agent = server.agent();
      WsClient customer = server.customer();
      pairs.add(new Pair(s, agent, customer, server.assignedChat(s, agent, customer)));
    }
    String admin = server.adminToken();
    List<Sender> senders = new ArrayList<>();
    for (Pair p : pairs) {
      senders.add(new Sender(p.customer(), p.conversation(), name + "-c" + p.conversation()));
      senders.add(new Sender(p.agent(), p.conversation(), name + "-a" + p.conversation()));
    }
    ExecutorService threads = Executors.newFixedThreadPool(senders.size());
    boolean ended = false;
    try {
      List<Future<?>> running = new ArrayList<>();
      senders.forEach(s -> running.add(threads.submit(s)));
      for (Sender s : senders) {
        assertTrue(s.acked.await(20, TimeUnit.SECONDS), "messages flow before the outage");
      }

      long outageStarted = System.nanoTime();
      begin.run();
      try {
        http.awaitStatus("/ready", 503, Duration.ofSeconds(20));
        long toReady503 = System.nanoTime() - outageStarted;
        Http.Response health = http.send("GET", "/health", null, null);
        assertEquals(503, health.status());
        assertEquals("DOWN", health.body().path("status").asText());

        long loginStarted = System.nanoTime();
        Http.Download login = http.exchange("POST", "/api/login", null, "application/json",
            of("username", "admin", "password", TestServer.ADMIN_PASSWORD).toString().getBytes());
        long loginTook = System.nanoTime() - loginStarted;
        assertEquals(503, login.status());
        assertEquals("unavailable", login.json().path("error").path("code").asText());
        assertNotNull(login.header("Retry-After"), "a refusal says when to come back");
        for (Sender s : senders) {
          assertTrue(s.refused.await(20, TimeUnit.SECONDS), "a send during the outage is refused");
        }
        try (WsClient newcomer = server.customer()) {
          TestServer.Setup s = pairs.get(0).setup();
          JsonNode refused = newcomer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next();
          assertEquals("unavailable", refused.path("code").asText(), "a customer arriving now is told to try again");
        }
        System.out.printf("[outage %s] /ready 503 after %d ms; login answered %d in %d ms%n", name,
            TimeUnit.NANOSECONDS.toMillis(toReady503), login.status(), TimeUnit.NANOSECONDS.toMillis(loginTook));
      } finally {
        end.run();
        ended = true;
      }
      long back = System.nanoTime();
      http.awaitStatus("/ready", 200, Duration.ofSeconds(60));
      System.out.printf("[outage %s] /ready 200 again %d ms after the database returned%n", name,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
      assertEquals(200, http.send("GET", "/health", null, null).status());

      senders.forEach(Sender::recovered);
      for (Sender s : senders) {
        assertTrue(s.ackedAfter.await(30, TimeUnit.SECONDS), "messages flow again without a restart");
      }
      senders.forEach(s -> s.stop.set(true));
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      verify(name, http, admin, pairs, senders);
    } finally {
      if (!ended) {
        end.run();
      }
      threads.shutdownNow();
      pairs.forEach(p -> {
        p.agent().close();
        p.customer().close();
      });
    }
  }

  /**
   * Every acknowledged message stored once with its seq, and every stored message pushed once to
   * the other side of its chat; read while the sockets are still open, for pushes still on their way.
   */
  private static void verify(String name, Http http, String admin, List<Pair> pairs, List<Sender> senders) {
    int resent = 0;
    for (Pair p : pairs) {
      JsonNode transcript = http.expect(200, "GET", "/api/conversations/" + p.conversation(), admin, null);
      Map<String, Integer> stored = new HashMap<>();
      Map<String, Long> seqOf = new HashMap<>();
      long expectedSeq = 1;
      for (JsonNode m : transcript.path("messages")) {
        assertEquals(expectedSeq++, m.path("seq").asLong(), "seqs stay gapless");
        stored.merge(m.path("text").asText(), 1, Integer::sum);
        seqOf.put(m.path("text").asText(), m.path("seq").asLong());
      }
      for (Sender s : senders) {
        if (s.conversation != p.conversation()) {
          continue;
        }
        resent += s.resent.get();
        s.ackedSeq.forEach((text, seq) -> {
          assertEquals(1, stored.getOrDefault(text, 0), () -> text + " is stored exactly once");
          assertEquals(seq, seqOf.get(text), () -> text + " is stored with the seq it was acknowledged with");
        });
      }
      for (Sender s : senders) {
        if (s.conversation != p.conversation()) {
          continue;
        }
        Set<Long> fromOtherSide = new HashSet<>();
        seqOf.forEach((text, seq) -> {
          if (!text.startsWith(s.prefix + " ")) {
            fromOtherSide.add(seq);
          }
        });
        s.awaitPushes(fromOtherSide);
        assertEquals(fromOtherSide, s.pushed.keySet(), "the other side's messages are pushed, and nothing else");
        s.pushed.forEach((seq, times) -> assertEquals(1, times, () -> s.prefix + " got message " + seq + " once"));
      }
    }
    assertTrue(resent > 0, "some sends were refused and sent again");
    System.out.printf("[outage %s] %d messages acknowledged, %d sends resent after unavailable, all stored once%n",
        name, senders.stream().mapToInt(s -> s.ackedSeq.size()).sum(), resent);
  }

  private record Pair(TestServer.Setup setup, WsClient agent, WsClient customer, long conversation) {}

  /**
   * One participant sending one message at a time and waiting for its answer; a message refused
   * with {@code unavailable} is sent again, same cmid, after a short backoff, as the apps do.
   */
  private static final class Sender implements Runnable {
    final WsClient ws;
    final long conversation;
    final String prefix;
    final Map<String, Long> ackedSeq = new ConcurrentHashMap<>();
    final CountDownLatch acked = new CountDownLatch(3);
    final CountDownLatch refused = new CountDownLatch(1);
    final CountDownLatch ackedAfter = new CountDownLatch(3);
    final AtomicInteger resent = new AtomicInteger();
    /** How often each seq was pushed to this side. */
    final Map<Long, Integer> pushed = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile boolean recovered;

    Sender(WsClient ws, long conversation, String prefix) {
      this.ws = ws;
      this.conversation = conversation;
      this.prefix = prefix;
    }

    void recovered() {
      recovered = true;
    }

    @Override
    public void run() {
      for (int i = 0; i < MAX_MESSAGES && !stop.get(); i++) {
        String text = prefix + " message " + i;
        for (int attempt = 0; ; attempt++) {
          ws.send(of("type", "send", "conversation", conversation, "cmid", prefix + "-" + i, "text", text,
              "rid", prefix + "-" + i + "/" + attempt));
          JsonNode answer = ws.next(ANSWER_WAIT);
          while (!answer.path("type").asText().equals("ack") && !answer.path("type").asText().equals("error")) {
            count(answer);
            answer = ws.next(ANSWER_WAIT);
          }
          if (answer.path("type").asText().equals("ack")) {
            ackedSeq.put(text, answer.path("seq").asLong());
            acked.countDown();
            if (recovered) {
              ackedAfter.countDown();
            }
            break;
          }
          assertEquals("unavailable", answer.path("code").asText(), answer::toString);
          refused.countDown();
          if (attempt == 0) {
            resent.incrementAndGet();
          }
          pause(Math.min(1_000, 50L << Math.min(attempt, 5))); // the apps' backoff
        }
        pause(20); // a steady pace, not a flood
      }
    }

    private void count(JsonNode frame) {
      if (frame.path("type").asText().equals("message")) {
        pushed.merge(frame.path("seq").asLong(), 1, Integer::sum);
      }
    }

    /** Reads this side's socket until every seq in {@code expected} was pushed to it. */
    void awaitPushes(Set<Long> expected) {
      while (!pushed.keySet().containsAll(expected)) {
        count(ws.next(ANSWER_WAIT));
      }
    }

    private static void pause(long millis) {
      try {
        TimeUnit.MILLISECONDS.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
