package io.sangdam.campaign;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.auth.PasswordHasher;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Abuse: 200 concurrent wrong logins, kept up while a customer and an agent chat. Password checks
 * run on their own small pool: the chat, a new customer's {@code hello} and {@code /health} go on,
 * and the logins past the pool's queue are refused at once (503 with {@code Retry-After}). The
 * figures are printed; nothing here asserts a time. It runs alone (server/pom.xml): the flood keeps
 * the cores busy, which would slow the tests beside it, and would skew the figures it prints.
 */
@Tag("alone")
class LoginFloodIT {
  private static final int CONCURRENT = 200;
  /** The flood stops at this many requests, or when the chat is done. */
  private static final int MAX_REQUESTS = 5_000;
  private static final int ROUND_TRIPS = 10;

  /**
   * The flood comes from one address: the throttle would refuse it before the hashing pool saw it.
   * Passwords take their production cost, which is what fills the pool; its queue is short, so the
   * logins it holds when the chat is done are answered in a few seconds rather than twenty.
   */
  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("auth.passwordIterations", String.valueOf(PasswordHasher.ITERATIONS))
      .with("auth.hashingQueue", "8")
      .with("auth.throttle.addressFailures", "1000000")
      .with("auth.throttle.accountAddressFailures", "1000000")
      .with("auth.throttle.accountFailures", "1000000");

  /** Answers to the flood by status; "503+" counts the 503s that carried Retry-After. */
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();

  @Test
  void aChatAndHealthGoOnWhileTwoHundredConcurrentWrongLoginsRun() throws Exception {
    TestServer.Setup s = server.setUp();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    AtomicBoolean stop = new AtomicBoolean();
    Semaphore inFlight = new Semaphore(CONCURRENT);
    AtomicInteger sent = new AtomicInteger();
    Thread flood = new Thread(() -> flood(client, stop, inFlight, sent), "login-flood");
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      List<Long> quietHealth = health(client);
      flood.start();
      while (sent.get() < CONCURRENT && flood.isAlive()) {
        Thread.onSpinWait();
      }

      List<Long> health = health(client);

      long t0 = System.nanoTime();
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      long hello = millisSince(t0);
      long id = customer.send(of("type", "start", "queue", s.queue())).next("started").path("conversation")
          .path("id").asLong();
      customer.next("assigned");
      agent.next("assigned");
      List<Long> roundTrips = new ArrayList<>();
      for (int i = 0; i < ROUND_TRIPS; i++) {
        long r0 = System.nanoTime();
        customer.send(of("type", "send", "conversation", id, "cmid", "c" + i, "text", "question " + i));
        customer.next("ack");
        assertEquals("question " + i, agent.next("message").path("text").asText());
        agent.send(of("type", "send", "conversation", id, "cmid", "a" + i, "text", "answer " + i));
        agent.next("ack");
        assertEquals("answer " + i, customer.next("message").path("text").asText());
        roundTrips.add(millisSince(r0));
      }
      agent.send(of("type", "close", "conversation", id));
      agent.next("closed");
      customer.next("closed");
      int sentDuringChat = sent.get();

      stop.set(true);
      flood.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(inFlight.tryAcquire(CONCURRENT, 120, TimeUnit.SECONDS), "every login of the flood was answered");
      System.out.printf("login flood (%d concurrent, %d sent while the chat ran): answers %s; /health %s ms "
          + "(before the flood %s ms); customer hello %d ms; chat round trips (customer -> agent -> customer) %s ms%n",
          CONCURRENT, sentDuringChat, answers, health, quietHealth, hello, roundTrips);
      assertEquals(java.util.Set.of(), answers.keySet().stream()
          .filter(k -> !k.equals("401") && !k.equals("503+")).collect(java.util.stream.Collectors.toSet()),
          "wrong logins get 401, or 503 with Retry-After when the hashing pool is full");
      assertTrue(answers.containsKey("503+"), "logins past the hashing pool's queue are refused at once");
    } finally {
      stop.set(true);
      flood.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  /** Three probes of {@code /health}, each answered 200: their times in ms. */
  private static List<Long> health(HttpClient client) throws Exception {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> h = client.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
      times.add(millisSince(t0));
      assertEquals(200, h.statusCode(), h.body());
    }
    return times;
  }

  private void flood(HttpClient client, AtomicBoolean stop, Semaphore inFlight, AtomicInteger sent) {
    try {
      while (!stop.get() && sent.get() < MAX_REQUESTS) {
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int n = sent.incrementAndGet();
        client.sendAsync(request("/api/login").POST(HttpRequest.BodyPublishers.ofString(
            of("username", "admin", "password", "guess-" + n).toString())).build(),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
              String kind = e != null ? e.getClass().getSimpleName()
                  : r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent() ? "503+"
                  : String.valueOf(r.statusCode());
              answers.computeIfAbsent(kind, k -> new LongAdder()).increment();
              inFlight.release();
            });
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(120));
  }

  private static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }
}
