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

/**
 * The bench tenant, made over REST as an administrator would: tenant {@code bench}, center
 * {@code c1}, queue {@code q1} (least busy, 20 chats per agent), and one agent for every 20
 * customers; returns the agents' tokens.
 */
record Setup(String base, List<String> agentTokens) {
  static final String ADMIN_PASSWORD = "bench-admin-password";
  static final int CHATS_PER_AGENT = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Setup create(String base, int customers) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String admin = login(http, base, null, "admin", ADMIN_PASSWORD);
    post(http, base + "/api/tenants", admin, Map.of("code", "bench", "name", "Bench"));
    post(http, base + "/api/tenants/bench/centers", admin, Map.of("code", "c1", "name", "부하 센터"));
    post(http, base + "/api/tenants/bench/centers/c1/queues", admin, Map.of("code", "q1", "name", "문의",
        "policy", "LEAST_BUSY", "maxChatsPerAgent", CHATS_PER_AGENT));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < (customers + CHATS_PER_AGENT - 1) / CHATS_PER_AGENT; i++) {
      post(http, base + "/api/tenants/bench/users", admin, Map.of("username", "a" + i, "password", "agent-password",
          "name", "상담사 " + i, "role", "AGENT", "center", "c1", "queues", List.of("q1")));
      tokens.add(login(http, base, "bench", "a" + i, "agent-password"));
    }
    return new Setup(base, tokens);
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
