package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An external bot on two nodes: node-a owns the center, so node-a POSTs the customer's messages to the company's bot
 * (here a fake on 127.0.0.1 that answers 202); the bot's REST reply arrives at node-b, which does not hold the
 * conversation's bot, and is carried out by node-a all the same, its words reaching the customer on node-b.
 */
class ExternalBotOnTwoNodesIT {
  private static final String TENANT = "extbotnodes";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).with("webhooks.allowLoopback", "true")
      .on("node-a", "cluster.centers", TENANT + "/seoul")
      .on("node-b", "cluster.centers", TENANT + "/busan");

  private static HttpServer company;
  private static final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private static String token;

  @BeforeAll
  static void aCenterOnNodeAWhoseQueueIsHandedToAnExternalBot() throws IOException {
    company = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    company.createContext("/bot", exchange -> {
      received.add(io.sangdam.testing.Json.parse(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    company.start();
    TestServer a = cluster.node("node-a");
    Http http = a.http();
    String admin = a.adminToken();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "External bot nodes"));
    for (String center : List.of("seoul", "busan")) {
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", center, "name", center));
    }
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    token = http.expect(201, "POST", "/api/tenants/" + TENANT + "/bot-endpoints", admin, of("code", "aicc", "name",
        "AICC", "url", "http://127.0.0.1:" + company.getAddress().getPort() + "/bot")).path("token").asText();
    String scenario = """
        {"name": "AI봇", "start": "ai", "fallback": {"text": "연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "ai", "type": "externalBot", "endpoint": "aicc", "next": "agent", "failure": "agent"},
           {"id": "agent", "type": "handoff", "queue": "card"}]}
        """;
    Json json = new Json();
    var url = a.database();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2, a.fieldCipher())) {
      Directory directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), json), new LocalChanges());
      directory.load();
      JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), json);
      BotEditor editor = new BotEditor(store, new CachedBotLibrary(store, json, Ticker.systemTicker()), directory,
          new LocalChanges());
      Tenant tenant = directory.tenantByCode(TENANT).orElseThrow();
      Center seoul = directory.center(tenant.id(), "seoul").orElseThrow();
      Queue card = directory.queue(seoul.id(), "card").orElseThrow();
      SavedScenario saved = editor.create(tenant.id(), json.readObject(scenario), scenario, null, null);
      editor.setEntry(tenant.id(), BotEditor.Place.queue(seoul.id(), card.id()), saved.id(), null);
    }
    Eventually.eventually("seoul owned by node-a", () -> {
      for (JsonNode node : a.http().expect(200, "GET", "/api/cluster", admin, null).path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          if (node.path("name").asText().equals("node-a") && center.asText().equals(TENANT + "/seoul")) {
            return true;
          }
        }
      }
      return false;
    });
  }

  @AfterAll
  static void stop() {
    company.stop(0);
  }

  @Test
  void aReplyArrivingAtAnotherNodeIsCarriedOutByTheOwnerAndReachesTheCustomer() {
    TestServer b = cluster.node("node-b");
    try (WsClient customer = b.customer()) {
      customer.send(of("type", "hello", "tenant", TENANT, "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "카드 해지하고 싶어요"));
      long id = customer.until("started").path("conversation").path("id").asLong();
      JsonNode request = Eventually.eventually("the opening text POSTed by node-a", () -> received.stream()
          .filter(r -> r.path("conversation").asLong() == id).toList(), l -> !l.isEmpty()).get(0);
      assertEquals("카드 해지하고 싶어요", request.path("text").asText());
      String reply = "{\"inReplyTo\":\"" + request.path("id").asText() + "\",\"messages\":[{\"text\":"
          + "\"해지 사유를 여쭤봐도 될까요?\"}],\"action\":\"wait\"}";

      Http.Response taken = b.http().send("POST", "/api/bot/conversations/" + id + "/reply", token,
          "application/json", reply.getBytes(StandardCharsets.UTF_8));
      assertEquals(200, taken.status(), taken.body().toString());
      JsonNode said = customer.until("message");
      assertEquals("해지 사유를 여쭤봐도 될까요?", said.path("text").asText(), said::toString);
      assertEquals("bot", said.path("from").asText());
      Http.Response again = b.http().send("POST", "/api/bot/conversations/" + id + "/reply", token,
          "application/json", reply.getBytes(StandardCharsets.UTF_8));
      assertEquals(409, again.status(), "the owner's refusal, forwarded: " + again.body());
    }
  }
}
