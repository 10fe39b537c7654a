package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two centers of one tenant owned by two nodes (each prefers one): a conversation moved from one to
 * the other, by a transfer to a queue or by an overflow, is taken up and routed by the other center's
 * owner, and a file uploaded on a node owning neither reaches the agent.
 */
class CentersOnTwoNodesIT {
  private static final String TENANT = "across";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(3)
      .on("node-a", "cluster.centers", TENANT + "/seoul")
      .on("node-b", "cluster.centers", TENANT + "/busan");

  private static String admin;

  private static TestServer a() {
    return cluster.node("node-a");
  }

  private static TestServer b() {
    return cluster.node("node-b");
  }

  private static TestServer c() {
    return cluster.node("node-c");
  }

  /**
   * Seoul (queues card, and busy that nobody serves, overflowing to busan/loan after a second) with
   * kim; busan (queue loan) with lee. Waits until node-a owns seoul and node-b busan.
   */
  @BeforeAll
  static void twoCentersOnTwoNodes() {
    Http http = a().http();
    admin = a().adminToken();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Across"));
    for (String center : List.of("seoul", "busan")) {
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", center, "name", center));
    }
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/busan/queues", admin,
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "busy", "name", "혼잡", "policy", "LEAST_BUSY", "overflowTo", "busan/loan",
            "overflowAfterSeconds", 1));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
        "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "lee", "password",
        "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "busan", "queues", List.of("loan")));
    Eventually.eventually("seoul owned by node-a and busan by node-b", () -> {
      JsonNode view = a().http().expect(200, "GET", "/api/cluster", admin, null);
      boolean seoul = false;
      boolean busan = false;
      for (JsonNode node : view.path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          seoul |= node.path("name").asText().equals("node-a") && center.asText().equals(TENANT + "/seoul");
          busan |= node.path("name").asText().equals("node-b") && center.asText().equals(TENANT + "/busan");
        }
      }
      return seoul && busan;
    });
  }

  private static WsClient online(TestServer node, String username, String password) {
    WsClient agent = node.agent();
    agent.send(of("type", "hello", "token", node.http().login(TENANT, username, password))).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).until("status");
    return agent;
  }

  /** A customer's conversation in a queue of seoul, and the visitor token they upload files with. */
  private record Started(long id, String visitor) {}

  private static Started start(WsClient customer, String queue) {
    String visitor = customer.send(of("type", "hello", "tenant", TENANT, "center", "seoul", "name", "홍길동"))
        .next("welcome").path("visitor").asText();
    return new Started(customer.send(of("type", "start", "queue", queue)).until("started").path("conversation")
        .path("id").asLong(), visitor);
  }

  private static List<Long> storedSeqs(long conversation) throws SQLException {
    TestDatabase.Url db = a().database();
    List<Long> seqs = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT seq FROM message WHERE conversation_id = ? ORDER BY seq")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    return seqs;
  }

  private static void assertGapless(List<Long> seqs) {
    for (int i = 0; i < seqs.size(); i++) {
      assertEquals(i + 1, seqs.get(i), "seq gapless and each once: " + seqs);
    }
  }

  @Test
  void aTransferToTheOtherCentersQueueReachesAnAgentOfItsOwnerWithGaplessSeq() throws SQLException {
    try (WsClient kim = online(c(), "kim", "agent-pass-1"); WsClient lee = online(c(), "lee", "agent-pass-2");
        WsClient customer = a().customer()) {
      long id = start(customer, "card").id();
      assertEquals("김상담", customer.until("assigned").path("agent").path("name").asText());
      assertEquals(id, kim.until("assigned").path("conversation").path("id").asLong());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-1", "text", "대출 문의요")).until("ack");
      assertEquals("대출 문의요", kim.until("message").path("text").asText());
      kim.send(of("type", "send", "conversation", id, "cmid", "k-1", "text", "대출 창구로 연결해 드릴게요")).until("ack");
      assertEquals("대출 창구로 연결해 드릴게요", customer.until("message").path("text").asText());

      kim.send(of("type", "transfer", "rid", "t", "conversation", id, "toQueue", "busan/loan", "note", "대출 상담"));
      assertEquals(id, kim.until("transferred").path("conversation").asLong());
      JsonNode toLee = lee.until("assigned");
      assertEquals(id, toLee.path("conversation").path("id").asLong());
      assertEquals("대출 상담", toLee.path("note").asText(), "the note reached the agent on the other center's owner");
      JsonNode said = customer.until("message");
      assertEquals("system", said.path("from").asText(), "the customer is told of the transfer: " + said);
      assertEquals("이상담", customer.until("assigned").path("agent").path("name").asText());

      lee.send(of("type", "send", "conversation", id, "cmid", "l-1", "text", "대출 상담 도와드릴게요")).until("ack");
      assertEquals("대출 상담 도와드릴게요", customer.until("message").path("text").asText());
      long last = customer.send(of("type", "send", "conversation", id, "cmid", "c-2", "text", "네 감사합니다"))
          .until("ack").path("seq").asLong();
      JsonNode heard = lee.until("message");
      assertEquals("네 감사합니다", heard.path("text").asText());
      assertEquals(last, heard.path("seq").asLong());

      List<Long> seqs = storedSeqs(id);
      assertGapless(seqs);
      assertEquals(last, seqs.get(seqs.size() - 1));
      lee.send(of("type", "close", "rid", "bye", "conversation", id)).until("closed");
      assertEquals(id, customer.until("closed").path("conversation").asLong());
    }
  }

  @Test
  void anOverflowIntoTheOtherCenterIsRoutedByItsOwner() throws SQLException {
    try (WsClient lee = online(b(), "lee", "agent-pass-2"); WsClient customer = c().customer()) {
      long id = start(customer, "busy").id();
      JsonNode toLee = lee.until("assigned");
      assertEquals(id, toLee.path("conversation").path("id").asLong(), "overflowed from seoul/busy to busan/loan");
      assertEquals("이상담", customer.until("assigned").path("agent").path("name").asText());
      lee.send(of("type", "send", "conversation", id, "cmid", "l-o1", "text", "넘어온 상담입니다")).until("ack");
      assertEquals("넘어온 상담입니다", customer.until("message").path("text").asText());
      customer.send(of("type", "send", "conversation", id, "cmid", "c-o1", "text", "네")).until("ack");
      assertEquals("네", lee.until("message").path("text").asText());
      assertGapless(storedSeqs(id));
      lee.send(of("type", "close", "rid", "bye", "conversation", id)).until("closed");
    }
  }

  @Test
  void aPictureUploadedOnANodeOwningNeitherCenterReachesTheAgent() {
    try (WsClient kim = online(a(), "kim", "agent-pass-1"); WsClient customer = c().customer()) {
      Started chat = start(customer, "card");
      long id = chat.id();
      kim.until("assigned");
      customer.until("assigned");
      byte[] picture = png();

      Http.Response uploaded = c().http().send("POST", "/api/conversations/" + id + "/attachments?name=receipt.png",
          chat.visitor(), "image/png", picture);
      assertEquals(201, uploaded.status(), uploaded.body()::toString);
      JsonNode atKim = kim.until("message");
      assertEquals("receipt.png", atKim.path("text").asText());
      assertEquals(uploaded.body().path("seq").asLong(), atKim.path("seq").asLong());
      assertEquals(uploaded.body().path("attachment"), atKim.path("attachment"));
      // The bytes are where the upload was received: every node reads them once data.dir/attachments is shared.
      Http.Download file = c().http().download(atKim.path("attachment").path("url").asText(),
          a().http().login(TENANT, "kim", "agent-pass-1"));
      assertEquals(200, file.status());
      assertArrayEquals(picture, file.body());
      kim.send(of("type", "close", "rid", "bye", "conversation", id)).until("closed");
    }
  }

  private static byte[] png() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
