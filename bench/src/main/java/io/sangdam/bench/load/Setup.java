package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The bench tenant, made over REST as an administrator would: tenant {@code bench}, center
 * {@code c1}, queue {@code q1} (least busy, 20 chats per agent), and one agent for every 20
 * customers; returns the agents' tokens. The cluster bench makes more centers the same way.
 */
record Setup(String base, List<String> agentTokens) {
  static final String ADMIN_PASSWORD = "bench-admin-password";
  /** The agents' and managers' password: one the tenant's default password policy accepts. */
  private static final String STAFF_PASSWORD = "Bench-staff-2026";
  static final int CHATS_PER_AGENT = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Setup create(String base, int customers) throws IOException, InterruptedException {
    String admin = tenant(base);
    return new Setup(base, center(base, admin, "c1", "q1", "a", customers));
  }

  /** Logs in as the administrator and creates tenant {@code bench}; the administrator's token. */
  static String tenant(String base) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String admin = login(http, base, null, "admin", ADMIN_PASSWORD);
    post(http, base + "/api/tenants", admin, Map.of("code", "bench", "name", "Bench"));
    return admin;
  }

  /**
   * Center {@code center} of tenant {@code bench} with its queue {@code queue} (least busy, 20 chats per
   * agent) and one agent for every 20 customers (usernames {@code agentPrefix0, agentPrefix1...}); their tokens.
   */
  static List<String> center(String base, String admin, String center, String queue, String agentPrefix,
      int customers) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    post(http, base + "/api/tenants/bench/centers", admin, Map.of("code", center, "name", "부하 센터 " + center));
    post(http, base + "/api/tenants/bench/centers/" + center + "/queues", admin, Map.of("code", queue, "name", "문의",
        "policy", "LEAST_BUSY", "maxChatsPerAgent", CHATS_PER_AGENT));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < (customers + CHATS_PER_AGENT - 1) / CHATS_PER_AGENT; i++) {
      post(http, base + "/api/tenants/bench/users", admin, Map.of("username", agentPrefix + i, "password",
          STAFF_PASSWORD, "name", "상담사 " + agentPrefix + i, "role", "AGENT", "center", center, "queues",
          List.of(queue)));
      tokens.add(login(http, base, "bench", agentPrefix + i, STAFF_PASSWORD));
    }
    return tokens;
  }

  /**
   * The day's staff, made in parallel (one login per user is serial work on the server's hashing threads):
   * center {@code c1} of tenant {@code bench} with queue {@code q1} (least busy, {@code chatsPerAgent} chats per
   * agent), {@code agents} agents {@code d0, d1...} and the center manager {@code boss}; the agents' tokens in order,
   * the manager's last.
   */
  static List<String> staff(String base, int agents, int chatsPerAgent) throws Exception {
    String admin = tenant(base);
    HttpClient http = HttpClient.newHttpClient();
    post(http, base + "/api/tenants/bench/centers", admin, Map.of("code", "c1", "name", "상담 센터"));
    post(http, base + "/api/tenants/bench/centers/c1/queues", admin, Map.of("code", "q1", "name", "문의",
        "policy", "LEAST_BUSY", "maxChatsPerAgent", chatsPerAgent));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i <= agents; i++) {
        String username = i < agents ? "d" + i : "boss";
        String role = i < agents ? "AGENT" : "CENTER_MANAGER";
        tokens.add(pool.submit(() -> {
          post(http, base + "/api/tenants/bench/users", admin, Map.of("username", username, "password",
              STAFF_PASSWORD, "name", "상담사 " + username, "role", role, "center", "c1", "queues", List.of("q1")));
          return login(http, base, "bench", username, STAFF_PASSWORD);
        }));
      }
      List<String> done = new ArrayList<>();
      for (var token : tokens) {
        done.add(token.get());
      }
      return done;
    } finally {
      pool.shutdown();
    }
  }

  /** GET {@code url} with the bearer {@code token}: the JSON answered. */
  static JsonNode get(String url, String token) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).timeout(java.time.Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static String login(HttpClient http, String base, String tenant, String username, String password)
      throws IOException, InterruptedException {
    Map<String, String> body = tenant == null ? Map.of("username", username, "password", password)
        : Map.of("tenant", tenant, "username", username, "password", password);
    return post(http, base + "/api/login", null, body).path("token").asText();
  }

  private static JsonNode post(HttpClient http, String url, String token, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
