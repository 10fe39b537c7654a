package io.sangdam.attachment;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.ThreadMXBean;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files in a conversation over HTTP, announced on the sockets, handed out only to those who may see them. */
class AttachmentsIT {
  private static final int MAX_BYTES = 200_000;
  private static final int MAX_REQUEST_BYTES = 100_000;

  @RegisterExtension
  static final TestServer server = new TestServer().with("attachments.maxBytes", String.valueOf(MAX_BYTES))
      .with("http.maxRequestBytes", String.valueOf(MAX_REQUEST_BYTES));

  /** An assigned chat whose customer's visitor token is known. */
  private record Chat(long id, String visitor) {}

  private static Chat chat(TestServer.Setup s, WsClient agent, WsClient customer) {
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome")
        .path("visitor").asText();
    long id = customer.send(of("type", "start", "queue", s.queue())).next("started").path("conversation").path("id")
        .asLong();
    customer.next("assigned");
    agent.next("assigned");
    return new Chat(id, visitor);
  }

  private static String uploadPath(long conversation, String name) {
    return "/api/conversations/" + conversation + "/attachments?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.ORANGE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLUE);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static BufferedImage decode(byte[] bytes) {
    try {
      return ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] pdf() {
    return "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aCustomersPictureReachesTheAgentWithAPreviewAndAnAgentsDocumentReachesTheCustomer() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      byte[] picture = png(800, 600);

      Http.Response uploaded = http.send("POST", uploadPath(chat.id(), "영수증.png"), chat.visitor(), "image/png",
          picture);
      assertEquals(201, uploaded.status(), uploaded.body()::toString);
      JsonNode file = uploaded.body().path("attachment");
      assertEquals("영수증.png", file.path("name").asText());
      assertEquals(picture.length, file.path("size").asLong());
      assertEquals("image/png", file.path("contentType").asText());
      String url = file.path("url").asText();
      String previewUrl = file.path("previewUrl").asText();
      assertEquals(url + "/preview", previewUrl);

      JsonNode atAgent = agent.next("message");
      assertEquals("customer", atAgent.path("from").asText());
      assertEquals("영수증.png", atAgent.path("text").asText());
      assertEquals(uploaded.body().path("seq").asLong(), atAgent.path("seq").asLong());
      assertEquals(file, atAgent.path("attachment"));
      assertEquals(file, customer.next("message").path("attachment"), "the customer's other tabs see it too");

      Http.Download whole = http.download(url, s.agentToken());
      assertEquals(200, whole.status());
      assertArrayEquals(picture, whole.body());
      assertEquals("image/png", whole.header("Content-Type"));
      assertTrue(whole.header("Content-Disposition").startsWith("inline;"), whole.header("Content-Disposition"));
      assertTrue(whole.header("Content-Disposition").contains("filename*=UTF-8''%EC%98%81%EC%88%98%EC%A6%9D.png"));
      assertEquals("nosniff", whole.header("X-Content-Type-Options"));
      assertTrue(whole.header("Content-Security-Policy").contains("sandbox"));

      Http.Download preview = http.download(previewUrl, s.agentToken());
      assertEquals(200, preview.status());
      BufferedImage small = decode(preview.body());
      assertEquals(320, small.getWidth());
      assertEquals(240, small.getHeight());

      Http.Response sent = http.send("POST", uploadPath(chat.id(), "계약서 (최종).pdf"), s.agentToken(),
          "application/pdf", pdf());
      assertEquals(201, sent.status(), sent.body()::toString);
      assertTrue(sent.body().path("attachment").path("previewUrl").isMissingNode(), "no preview of a PDF");
      JsonNode atCustomer = customer.next("message");
      assertEquals("agent", atCustomer.path("from").asText());
      assertEquals("계약서 (최종).pdf", atCustomer.path("attachment").path("name").asText());
      Http.Download document = http.download(atCustomer.path("attachment").path("url").asText(), chat.visitor());
      assertEquals(200, document.status());
      assertArrayEquals(pdf(), document.body());
      assertTrue(document.header("Content-Disposition").startsWith("attachment;"),
          "documents are downloaded, never shown in the page");

      customer.send(of("type", "resume", "conversation", chat.id(), "afterSeq", 0));
      JsonNode replayed = customer.next("message");
      assertEquals(uploaded.body().path("seq").asLong(), replayed.path("seq").asLong());
      assertEquals(file, replayed.path("attachment"), "a resumed conversation shows its files");
    }
  }

  @Test
  void onlyTheParticipantsAndUsersWhoseScopeCoversTheConversationGetTheFile() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lee",
        "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul", "queues",
        List.of("card")));
    http.expect(201, "POST", "/api/tenants/" + other.tenant() + "/users", other.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "남의 센터장", "role", "TENANT_ADMIN"));
    try (WsClient agent = server.agent(); WsClient customer = server.customer();
        WsClient stranger = server.customer()) {
      Chat chat = chat(s, agent, customer);
      String url = http.send("POST", uploadPath(chat.id(), "a.png"), chat.visitor(), "image/png", png(10, 10)).body()
          .path("attachment").path("url").asText();
      agent.next("message");
      String strangerVisitor = stranger.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul"))
          .next("welcome").path("visitor").asText();

      assertEquals(200, http.download(url, chat.visitor()).status(), "its customer");
      assertEquals(200, http.download(url, s.agentToken()).status(), "its agent");
      // Not their own live chat: a reason, kept with the access record (AccessRecordsIT).
      assertEquals(200, http.download(url + "?reason=review", http.login(s.tenant(), "boss", TestServer.STAFF_PASSWORD))
          .status(), "the manager");
      assertEquals(200, http.download(url + "?reason=review", s.adminToken()).status(), "HQ");
      assertEquals(404, http.download(url, strangerVisitor).status(), "another customer");
      assertEquals(404, http.download(url, http.login(s.tenant(), "lee", "agent-pass-2")).status(),
          "an agent who never had the chat");
      Http.Download foreign = http.download(url, http.login(other.tenant(), "boss", TestServer.STAFF_PASSWORD));
      assertEquals(404, foreign.status(), "another tenant's admin");
      assertEquals("not_found", foreign.json().path("error").path("code").asText());
      assertEquals(404, http.download(url, other.agentToken()).status(), "another tenant's agent");
      assertEquals(401, http.download(url, null).status(), "nobody");
      assertEquals(401, http.download(url, "not-a-token").status(), "a made-up token");
      assertArrayEquals(http.download(url, s.agentToken()).body(), http.download(url + "/preview", s.agentToken())
          .body(), "a 10x10 picture is its own preview");
      assertEquals(404, http.download("/api/attachments/999999999", s.adminToken()).status());
      assertEquals(404, http.download("/api/attachments/abc", s.adminToken()).status());

      assertEquals(404, http.send("POST", uploadPath(chat.id(), "b.png"), strangerVisitor, "image/png", png(10, 10))
          .status(), "another customer cannot send into the chat");
      assertEquals(404, http.send("POST", uploadPath(chat.id(), "b.png"), other.agentToken(), "image/png",
          png(10, 10)).status(), "nor another tenant's agent");
      agent.assertNothingSoFar("refused uploads announce nothing");
    }
  }

  @Test
  void badFilesAreRefusedWithAClearErrorAndNothingIsStoredOrAnnounced() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      String token = chat.visitor();

      Http.Response tooLarge = http.send("POST", uploadPath(chat.id(), "big.png"), token, "image/png",
          Arrays.copyOf(png(10, 10), MAX_BYTES + 1));
      assertEquals(413, tooLarge.status());
      assertEquals("too_large", tooLarge.errorCode());

      Http.Response program = http.send("POST", uploadPath(chat.id(), "setup.exe"), token,
          "application/x-msdownload", "MZ...".getBytes(StandardCharsets.US_ASCII));
      assertEquals(415, program.status());
      assertEquals("unsupported_type", program.errorCode());
      assertTrue(program.body().path("error").path("message").asText().contains("image/png"),
          "the error says what is accepted");

      Http.Response disguised = http.send("POST", uploadPath(chat.id(), "cat.png"), token, "image/png",
          "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
      assertEquals(415, disguised.status());
      assertEquals("the file's content is not image/png", disguised.body().path("error").path("message").asText());

      Http.Response unknown = http.send("POST", uploadPath(chat.id(), "data"), token, null, new byte[] {1, 2, 3});
      assertEquals(415, unknown.status());

      Http.Response empty = http.send("POST", uploadPath(chat.id(), "empty.txt"), token, "text/plain", new byte[0]);
      assertEquals(422, empty.status());
      assertEquals("invalid_field", empty.errorCode());

      Http.Response nameless = http.send("POST", "/api/conversations/" + chat.id() + "/attachments", token,
          "text/plain", "hi".getBytes(StandardCharsets.UTF_8));
      assertEquals(422, nameless.status());
      assertEquals("missing_field", nameless.errorCode());
      assertEquals(422, http.send("POST", uploadPath(chat.id(), "../.."), token, "text/plain",
          "hi".getBytes(StandardCharsets.UTF_8)).status(), "a name with nothing left of it");
      assertEquals(422, http.send("POST", uploadPath(chat.id(), "a.txt") + "&cmid=" + "x".repeat(65), token,
          "text/plain", "hi".getBytes(StandardCharsets.UTF_8)).status());
      assertEquals(404, http.send("POST", uploadPath(999_999_999, "a.txt"), s.agentToken(), "text/plain",
          "hi".getBytes(StandardCharsets.UTF_8)).status());

      agent.assertNothingSoFar("refused uploads announce nothing");
      customer.assertNothingSoFar("refused uploads announce nothing");

      byte[] longText = "가".repeat(MAX_REQUEST_BYTES / 2).getBytes(StandardCharsets.UTF_8);
      Http.Response large = http.send("POST", uploadPath(chat.id(), "log.txt"), token, "text/plain", longText);
      assertEquals(201, large.status(), "a file may be larger than other requests");
      assertEquals(413, http.send("POST", "/api/login", null, "application/json", longText).status(),
          "other requests keep their own limit");
      agent.next("message");

      Http.Response odd = http.send("POST", uploadPath(chat.id(), "..\\..\\C:\\boot\u202Etxt.exe"), token,
          "text/plain; charset=utf-8", "메모".getBytes(StandardCharsets.UTF_8));
      assertEquals(201, odd.status(), odd.body()::toString);
      assertEquals("boottxt.exe", odd.body().path("attachment").path("name").asText(),
          "path, drive and direction-override characters are dropped from the name");
      assertEquals(2, odd.body().path("seq").asLong(), "the refused uploads left no message behind");
      agent.next("message");
    }
  }

  @Test
  void markupIsRefusedAsTextAndTextIsServedAsADownloadThatIsNeverSniffed() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      Http.Response page = http.send("POST", uploadPath(chat.id(), "note.txt"), chat.visitor(), "text/plain",
          "<html><script>fetch('/api/me')</script></html>".getBytes(StandardCharsets.UTF_8));
      assertEquals(415, page.status());
      assertEquals("unsupported_type", page.errorCode());
      assertTrue(page.body().path("error").path("message").asText().contains("markup"));
      assertEquals(415, http.send("POST", uploadPath(chat.id(), "logo.svg"), chat.visitor(), "text/plain",
          "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".getBytes(StandardCharsets.UTF_8))
          .status());
      assertEquals(415, http.send("POST", uploadPath(chat.id(), "a.html"), chat.visitor(), null,
          "hello".getBytes(StandardCharsets.UTF_8)).status(), "a page by its name");
      agent.assertNothingSoFar("nothing was announced");

      Http.Response text = http.send("POST", uploadPath(chat.id(), "memo.txt"), chat.visitor(), "text/plain",
          "a < b, 주문번호 1234".getBytes(StandardCharsets.UTF_8));
      assertEquals(201, text.status(), text.body()::toString);
      agent.next("message");
      Http.Download served = http.download(text.body().path("attachment").path("url").asText(), s.agentToken());
      assertEquals("nosniff", served.header("X-Content-Type-Options"));
      assertTrue(served.header("Content-Disposition").startsWith("attachment;"), served.header("Content-Disposition"));
    }
  }

  /**
   * Twenty customers' worth of 6000x6000 pictures (about 100 KB each on the wire) at once: each is
   * stored, and making their previews allocates a few megabytes each, not the 108 MB of a canvas.
   */
  @Test
  void concurrentHugeCanvasesAreStoredWhilePreviewsStaySmall() throws Exception {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    byte[] bomb = HugePng.of(6000, 6000);
    int uploads = 20;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      Map<Long, Long> before = allocatedByThread(threads);
      ExecutorService customers = Executors.newFixedThreadPool(uploads);
      List<Future<Http.Response>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < uploads; i++) {
          String name = "big-" + i + ".png";
          answers.add(customers.submit(() -> http.send("POST", uploadPath(chat.id(), name), chat.visitor(),
              "image/png", bomb)));
        }
        int previews = 0;
        for (Future<Http.Response> answer : answers) {
          Http.Response r = answer.get(120, TimeUnit.SECONDS);
          assertEquals(201, r.status(), r.body()::toString);
          previews += r.body().path("attachment").has("previewUrl") ? 1 : 0;
        }
        long allocated = allocatedSince(threads, before);
        assertTrue(allocated < uploads * 8_000_000L, uploads + " uploads allocated " + allocated / 1_000_000
            + " MB in all (a canvas decoded whole is 108 MB)");
        assertTrue(previews >= 1, "at least the first gets a preview; others may be stored without one");
        String url = answers.get(0).get().body().path("attachment").path("url").asText();
        assertArrayEquals(bomb, http.download(url, s.agentToken()).body(), "the file itself is kept whole");
      } finally {
        customers.shutdownNow();
      }
    }
  }

  /**
   * A canvas of 4,000,000 by 4 pixels of 16-bit RGBA (small on the wire, within the area bound):
   * the PNG decoder would hold rows of 32 MB whatever the subsampling. The file is stored whole
   * without a preview, and refusing to preview it costs next to nothing.
   */
  @Test
  void aWideCanvasIsStoredWithoutAPreviewInLittleMemory() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    byte[] wide = HugePng.rgba16(4_000_000, 4);
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      Map<Long, Long> before = allocatedByThread(threads);
      Http.Response r = http.send("POST", uploadPath(chat.id(), "wide.png"), chat.visitor(), "image/png", wide);
      long allocated = allocatedSince(threads, before);
      assertEquals(201, r.status(), r.body()::toString);
      assertFalse(r.body().path("attachment").has("previewUrl"), r.body()::toString);
      assertTrue(allocated < 16_000_000, "the upload allocated " + allocated / 1_000_000
          + " MB in all (decoded, its rows alone are 96 MB)");
      String url = r.body().path("attachment").path("url").asText();
      assertArrayEquals(wide, http.download(url, s.agentToken()).body(), "the file itself is kept whole");
    }
  }

  private static Map<Long, Long> allocatedByThread(ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> out = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      out.put(ids[i], bytes[i]);
    }
    return out;
  }

  /** Heap bytes allocated by every thread of this JVM (the server's and the test's) since {@code before}. */
  private static long allocatedSince(ThreadMXBean threads, Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> now : allocatedByThread(threads).entrySet()) {
      if (now.getValue() > 0) {
        total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
      }
    }
    return total;
  }

  @Test
  void aRepeatedUploadIsAnsweredWithTheFirstAndAClosedChatTakesNoFiles() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      Chat chat = chat(s, agent, customer);
      String path = uploadPath(chat.id(), "memo.txt") + "&cmid=file-1";
      byte[] text = "주문번호 1234".getBytes(StandardCharsets.UTF_8);

      Http.Response first = http.send("POST", path, chat.visitor(), "text/plain", text);
      assertEquals(201, first.status());
      assertEquals("file-1", first.body().path("cmid").asText());
      agent.next("message");
      customer.next("message");
      Http.Response again = http.send("POST", path, chat.visitor(), "text/plain", text);
      assertEquals(200, again.status(), "a retry is not a second file");
      assertEquals(first.body(), again.body());
      agent.assertNothingSoFar("a retried upload is not announced again");

      customer.send(of("type", "send", "conversation", chat.id(), "cmid", "text-1", "text", "안녕하세요")).next("ack");
      agent.next("message");
      Http.Response reused = http.send("POST", uploadPath(chat.id(), "x.txt") + "&cmid=text-1", chat.visitor(),
          "text/plain", text);
      assertEquals(409, reused.status(), "a text message's cmid cannot name a file");

      agent.send(of("type", "close", "conversation", chat.id())).next("closed");
      Http.Response late = http.send("POST", uploadPath(chat.id(), "late.txt"), chat.visitor(), "text/plain", text);
      assertEquals(409, late.status());
      assertEquals("conversation_closed", late.errorCode());
      assertEquals(200, http.send("POST", path, chat.visitor(), "text/plain", text).status(),
          "a retry of a stored upload after the end still gets its answer");
      assertFalse(http.download(first.body().path("attachment").path("url").asText(), s.agentToken()).body().length
          == 0, "the agent keeps access after the chat ended");
      assertNotNull(first.body().path("attachment").path("id"));
    }
  }
}
