package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.Server;
import io.sangdam.bench.Trees;
import io.sangdam.channel.InboundSignature;
import io.sangdam.config.ConfigLoader;
import io.sangdam.embedded.EmbeddedMariaDb;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channels' outbox, on this machine: a custom channel whose outboundUrl is a local receiver answering
 * 204 at once; {@code conversations} conversations started through the channel's inbound webhook, each
 * answered by its agent with {@code messages} messages sent as fast as the socket takes them. Measures
 * deliveries per second (from the first message sent to the last delivery) and the time from each
 * message's commit ({@code at}) to the receiver, p50/p99/max. One server in this JVM on a fresh embedded
 * MariaDB; bounded to a minute of waiting for deliveries. With {@code roundsPerSecond}, each conversation's
 * messages are paced, one round (a message to every conversation) at a time, for the latency below capacity.
 *
 * <p>{@code OutboxBench [conversations 100] [messages 20] [roundsPerSecond 0: all at once]}
 */
public final class OutboxBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    double rounds = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    int status = 0;
    try {
      run(conversations, messages, rounds);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void run(int conversations, int messages, double roundsPerSecond) throws Exception {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong delivered = new AtomicLong();
    AtomicLong lastDelivery = new AtomicLong();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(8));
    receiver.createContext("/out", exchange -> {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Instant now = Instant.now();
      if (body.path("type").asText().equals("message") && body.path("from").asText().equals("agent")) {
        latencies.add(Duration.between(Instant.parse(body.path("at").asText()), now).toNanos());
        delivered.incrementAndGet();
        lastDelivery.set(System.nanoTime());
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    Files.createDirectories(Path.of("target"));
    Path dir = Files.createTempDirectory(Path.of("target"), "outbox-bench");
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dir.resolve("mariadb"))) {
      String url = db.createDatabase("sangdam_outbox_bench");
      Server server = new Server(ConfigLoader.load(null, Map.ofEntries(Map.entry("SANGDAM_DB_URL", url),
          Map.entry("SANGDAM_DB_USER", "root"), Map.entry("SANGDAM_HTTP_HOST", "127.0.0.1"),
          Map.entry("SANGDAM_HTTP_PORT", "0"), Map.entry("SANGDAM_ADMIN_PASSWORD", Setup.ADMIN_PASSWORD),
          Map.entry("SANGDAM_AUTH_PASSWORDITERATIONS", "1000"), Map.entry("SANGDAM_WEBHOOKS_ALLOWLOOPBACK", "true"),
          Map.entry("SANGDAM_LIMITS_WSMESSAGESPERSECOND", "10000"), Map.entry("SANGDAM_LIMITS_WSBURST", "100000"),
          Map.entry("SANGDAM_DATA_DIR", dir.toString()))));
      server.start();
      try {
        String base = "http://127.0.0.1:" + server.port();
        String admin = Setup.tenant(base);
        List<String> tokens = Setup.center(base, admin, "c1", "q1", "a", conversations);
        HttpClient http = HttpClient.newHttpClient();
        String secret = post(http, base + "/api/tenants/bench/channels", admin, Map.of("code", "app", "kind", "CUSTOM",
            "center", "c1", "queue", "q1", "outboundUrl", "http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/out")).path("secret").asText();
        List<Agent> agents = new ArrayList<>();
        for (String token : tokens) {
          agents.add(Agent.connect(base, token));
        }
        for (int i = 0; i < conversations; i++) {
          byte[] body = JSON.writeValueAsBytes(Map.of("user", "u-" + i, "mid", "m-" + i, "text", "문의드립니다"));
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/channels/bench/app/inbound"))
              .header("Content-Type", "application/json").header(InboundSignature.HEADER,
                  InboundSignature.header(secret, Instant.now().getEpochSecond(), body))
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("inbound answered " + r.statusCode() + ": " + r.body());
          }
        }
        List<List<Long>> assigned = new ArrayList<>();
        int total = 0;
        for (Agent a : agents) {
          List<Long> ids = a.assigned(Math.min(Setup.CHATS_PER_AGENT, conversations - total));
          total += ids.size();
          assigned.add(ids);
        }
        long started = System.nanoTime();
        for (int m = 1; m <= messages; m++) {
          if (roundsPerSecond > 0) {
            long due = started + (long) ((m - 1) * 1e9 / roundsPerSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for the server
            }
          }
          for (int i = 0; i < agents.size(); i++) {
            for (long id : assigned.get(i)) {
              agents.get(i).send(Map.of("type", "send", "conversation", id, "cmid", "b-" + id + "-" + m,
                  "text", "답변 " + m));
            }
          }
        }
        long expected = (long) conversations * messages;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered.get() < expected && System.nanoTime() < deadline) {
          Thread.sleep(100); // a bench's progress check, not a test's synchronisation
        }
        double seconds = (lastDelivery.get() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("outbox bench: %d conversations x %d agent messages (%s), %d delivered of %d%n",
            conversations, messages, roundsPerSecond > 0 ? roundsPerSecond + " rounds/s" : "all at once",
            delivered.get(), expected);
        System.out.printf("deliveries/s: %.0f (%.1f s from the first send to the last delivery)%n",
            delivered.get() / seconds, seconds);
        System.out.printf("commit -> receiver: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(sorted, 0.50),
            pct(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
        agents.forEach(Agent::close);
      } finally {
        server.close();
      }
    } finally {
      receiver.stop(0);
      Trees.delete(dir); // a fresh MariaDB is half a gigabyte: nothing of it is kept
    }
  }


  private static double pct(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
  }

  private static JsonNode post(HttpClient http, String url, String token, Object body)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** An agent's console: ONLINE, collects its assignments, sends without waiting for acks. */
  private static final class Agent implements WebSocket.Listener {
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Agent connect(String base, String token) throws Exception {
      Agent a = new Agent();
      a.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(base.replace("http", "ws") + "/ws/agent"), a).get(10, TimeUnit.SECONDS);
      a.send(Map.of("type", "hello", "token", token));
      a.until("welcome");
      a.send(Map.of("type", "status", "status", "ONLINE"));
      a.until("status");
      return a;
    }

    synchronized void send(Object frame) {
      try {
        socket.sendText(JSON.writeValueAsString(frame), true).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("cannot send", e);
      }
    }

    JsonNode until(String type) throws InterruptedException {
      while (true) {
        JsonNode f = frames.poll(30, TimeUnit.SECONDS);
        if (f == null) {
          throw new IllegalStateException("no " + type + " within 30 s");
        }
        if (f.path("type").asText().equals(type)) {
          return f;
        }
      }
    }

    List<Long> assigned(int count) throws InterruptedException {
      List<Long> ids = new ArrayList<>();
      while (ids.size() < count) {
        ids.add(until("assigned").path("conversation").path("id").asLong());
      }
      return ids;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
