package io.sangdam.retention;

import static io.sangdam.testing.Json.of;

import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** What the retention tests make a server hold, and look for in its database and data directory afterwards. */
final class RetentionData {
  private final TestServer server;

  RetentionData(TestServer server) {
    this.server = server;
  }

  /** A customer's visit: the conversation, its customer, and the widget's visitor token. */
  record Visit(long conversation, long customer, String visitor) {}

  /** A customer starts in {@code queue}, writes {@code text} and leaves before an agent takes it (ABANDONED). */
  Visit abandoned(String tenant, String queue, String text) {
    try (WsClient c = server.customer()) {
      String visitor = c.send(of("type", "hello", "tenant", tenant, "center", "seoul")).until("welcome")
          .path("visitor").asText();
      long id = c.send(of("type", "start", "queue", queue)).until("started").path("conversation").path("id")
          .asLong();
      c.send(of("type", "send", "conversation", id, "cmid", "c1", "text", text)).until("ack");
      c.send(of("type", "leave", "conversation", id)).until("closed");
      return new Visit(id, number("SELECT customer_id FROM conversation WHERE id = ?", id), visitor);
    }
  }

  /**
   * The setup's agent takes a chat: both write, the customer sends a picture (its SHA-256 returned through
   * {@code sha}), the agent closes it and the customer rates it with a comment.
   */
  Visit handled(TestServer.Setup s, String[] sha) {
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).until("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).until("status");
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center()))
          .until("welcome").path("visitor").asText();
      long id = customer.send(of("type", "start", "queue", s.queue())).until("started").path("conversation")
          .path("id").asLong();
      agent.until("assigned");
      customer.send(of("type", "send", "conversation", id, "cmid", "q1", "text", "카드 분실 신고합니다 010-1234-5678"))
          .until("ack");
      agent.send(of("type", "send", "conversation", id, "cmid", "a1", "text", "네 확인했습니다")).until("ack");
      var uploaded = server.http().send("POST", "/api/conversations/" + id + "/attachments?name=card.png", visitor,
          "image/png", picture());
      if (uploaded.status() != 201) {
        throw new AssertionError("upload: " + uploaded.status() + " " + uploaded.body());
      }
      sha[0] = one("SELECT sha256 FROM attachment WHERE conversation_id = ?", id);
      agent.send(of("type", "close", "conversation", id)).until("closed");
      customer.send(of("type", "rate", "conversation", id, "score", 4, "comment", "친절했어요")).until("rated");
      agent.send(of("type", "status", "status", "OFFLINE")).until("status");
      return new Visit(id, number("SELECT customer_id FROM conversation WHERE id = ?", id), visitor);
    }
  }

  /** A picture no other test sends: random pixels, so its file on disk is this test's alone. */
  private static byte[] picture() {
    Random random = new Random();
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 320; x++) {
      for (int y = 0; y < 240; y++) {
        image.setRGB(x, y, random.nextInt(0xFFFFFF));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Whether a file with this SHA-256 is in the attachments directory of any test server's data. */
  static boolean fileStored(String sha256) {
    Path root = Path.of("target", "test-data");
    try (Stream<Path> files = Files.walk(root)) {
      return files.anyMatch(p -> p.getFileName().toString().equals(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long number(String sql, Object... params) {
    return Long.parseLong(one(sql, params));
  }

  String one(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  int update(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private Connection connect() throws SQLException {
    TestDatabase.Url url = server.database();
    return DriverManager.getConnection(url.url(), url.user(), url.password());
  }
}
