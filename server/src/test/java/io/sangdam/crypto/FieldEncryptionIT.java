package io.sangdam.crypto;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.sms.SmsInbound;
import io.sangdam.testing.Http;
import io.sangdam.testing.ServerProcess;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Personal fields sealed at rest, end to end on the real server and MariaDB: what customers and agents give through
 * the WebSocket and REST paths (the pre-chat form, the customer panel's contact and memo, a callback's number and
 * note, an SMS sender's number) is ciphertext in the raw columns, reads back right, and is found by phone number or
 * e-mail address; rows stored before the upgrade are sealed by the next start; a rotation seals everything with the
 * new key while chat goes on, and a restart with the key file reads it all; a start without the right keys is
 * refused, and a value sealed with an unknown key is an error for that field alone.
 */
class FieldEncryptionIT {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final Path dir = Path.of("target", "field-encryption-it-" + UUID.randomUUID()).toAbsolutePath();

  @RegisterExtension
  static final TestServer server = new TestServer();

  /** The personal columns, by table, with how a row names its tenant. */
  private static final List<String> SEALED = List.of(
      "SELECT contact, memo, channel_user FROM customer WHERE tenant_id = ?",
      "SELECT channel_user, bot_state, bot_fields FROM conversation WHERE tenant_id = ?",
      "SELECT name, contact FROM conversation_pre_chat WHERE tenant_id = ?",
      "SELECT phone, customer_note FROM callback_request WHERE tenant_id = ?",
      "SELECT contact, body FROM offline_inquiry WHERE tenant_id = ?",
      "SELECT ldap_bind_password, oidc_client_secret FROM company_sign_in WHERE tenant_key = ?");

  private record Story(TestServer.Setup s, long chat, long smsChat, long callback, List<String> secrets) {}

  /** A tenant whose customers gave personal data on every path that takes some. */
  private static Story story() throws Exception {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    http.expect(200, "PUT", t + "/centers/seoul/widget", s.adminToken(), of("title", "상담", "brandColor", "#1f5fbf",
        "welcome", "안녕하세요", "allowTranscript", true, "form", Map.of("enabled", true, "name", "REQUIRED",
            "contact", "OPTIONAL", "inquiryTypes", List.of(), "consentRequired", false)));
    long chat;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      chat = customer.send(of("type", "start", "queue", "card", "form", Map.of("name", "홍길동", "contact",
          "010-2345-6789"))).next("started").path("conversation").path("id").asLong();
      agent.until("assigned");
    }
    http.expect(200, "PUT", "/api/conversations/" + chat + "/customer", s.agentToken(),
        of("name", "홍길동", "contact", "hong.gildong@example.com", "memo", "VIP 고객, 주민번호 뒷자리 문의함"));

    JsonNode channel = http.expect(201, "POST", t + "/channels", s.adminToken(), of("code", "sms", "kind", "SMS",
        "center", s.center(), "queue", s.queue(), "gatewayUrl", "http://192.0.2.1/send", "bodyTemplate",
        "{\"to\":\"{to}\",\"msg\":\"{text}\"}", "fromNumber", "15880000"));
    String smsPath = "/channels/" + s.tenant() + "/sms/sms";
    Map<String, String> key = Map.of(SmsInbound.KEY_HEADER, channel.path("secret").asText());
    long smsChat = sms(smsPath, key, "+82 10-3456-7890", "예약 변경 문의", "gw-1").path("conversation").asLong();
    assertEquals(smsChat, sms(smsPath, key, "010 3456 7890", "내일로요", "gw-2").path("conversation").asLong(),
        "the same sender, found by the blind index of their number however it is written");
    sms(smsPath, key, "01099990000", "수신거부", "gw-3");

    // Closed today, open from tomorrow: the widget leaves a callback.
    LocalDate today = LocalDate.now(SEOUL);
    http.expect(200, "PUT", t + "/centers/seoul/hours", s.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", allWeek(), "holidays", List.of(today.toString(), today.plusDays(1).toString()),
        "outOfHours", "OFFLINE_FORM"));
    long callback;
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "이순신")).next("welcome");
      String slot = customer.send(of("type", "callbackSlots", "rid", "s")).next("callbackSlots").path("slots").get(0)
          .asText();
      callback = customer.send(of("type", "callback", "rid", "c", "queue", "card", "slot", slot, "phone",
          "010 4567 8901", "clientId", "w-1", "note", "카드 분실 신고")).next("callbackStored").path("callback").asLong();
    }
    http.expect(200, "PUT", t + "/centers/seoul/hours", s.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", allWeek(), "holidays", List.of(), "outOfHours", "OFFLINE_FORM"));
    // The company directory's bind password is no personal field, but a dump must not give it away either.
    http.expect(200, "PUT", t + "/company-sign-in", s.adminToken(), of("ldap", of("url", "ldap://127.0.0.1:1389",
        "bindDn", "cn=search,dc=corp", "bindPassword", "directory-bind-secret", "userBase", "ou=people,dc=corp",
        "userFilter", "(uid={username})", "mappings", List.of(of("group", "cn=agents,dc=corp", "role", "AGENT",
            "center", "seoul")))));
    return new Story(s, chat, smsChat, callback, List.of("directory-bind-secret", "010-2345-6789", "01023456789", "hong.gildong",
        "주민번호", "3456-7890", "01034567890", "01099990000", "4567-8901", "01045678901", "카드 분실"));
  }

  private static JsonNode sms(String path, Map<String, String> key, String from, String text, String id) {
    Http.Response r = server.http().sendSigned("POST", path, key,
        of("from", from, "text", text, "id", id).toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    return r.body();
  }

  private static Map<String, Object> allWeek() {
    Map<String, Object> week = new java.util.LinkedHashMap<>();
    for (String day : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
      week.put(day, List.of(List.of("00:00", "24:00")));
    }
    return week;
  }


  @Test
  void personalFieldsAreCiphertextInTheDatabaseReadBackRightAndAreFoundByPhoneOrEmail() throws Exception {
    Story story = story();
    TestServer.Setup s = story.s;
    Http http = server.http();
    List<String> raw = rawPersonalValues(s.tenant());
    assertTrue(raw.size() >= 8, "the form, the panel, the callback and the SMS sender each stored some: " + raw);
    String active = FieldKeyFile.read(server.fieldKeyFile()).orElseThrow().active();
    FieldCipher keys = server.fieldCipher();
    assertTrue(raw.stream().map(keys::open).toList().containsAll(List.of("directory-bind-secret", "010-2345-6789",
        "홍길동", "hong.gildong@example.com", "VIP 고객, 주민번호 뒷자리 문의함", "01034567890", "010-4567-8901",
        "카드 분실 신고")),
        "opened with the key file alone: " + raw.stream().map(keys::open).toList());
    for (String value : raw) {
      assertTrue(value.startsWith("enc:v1:" + active + ":"), value);
      for (String secret : story.secrets) {
        assertFalse(value.contains(secret), secret + " in " + value);
      }
    }
    assertEquals(List.of(), optedOutNumbers(s.tenant()).stream().filter(n -> !n.startsWith("idx:v1:")).toList(),
        "opted-out numbers are kept as their blind index only");

    JsonNode customer = http.expect(200, "GET", "/api/conversations/" + story.chat + "/customer", s.agentToken(),
        null);
    assertEquals("h***@example.com", customer.path("contact").asText(), "opened, then masked as always");
    assertEquals("VIP 고객, 주민번호 뒷자리 문의함", customer.path("memo").asText());
    JsonNode masked = http.expect(200, "GET", "/api/conversations/" + story.chat + "/pre-chat", s.adminToken(), null);
    assertEquals("홍*동", masked.path("name").asText(), "masked after it is opened");
    assertEquals("010-****-6789", masked.path("contact").asText());
    JsonNode callbacks = http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/callbacks", s.adminToken(), null);
    assertEquals("010-****-8901", callbacks.get(0).path("phone").asText());

    assertEquals(List.of(story.chat), found(s, "HONG.GILDONG@example.com "), "an e-mail address in any case");
    assertEquals(List.of(), found(s, "hong.gildong"), "a part of a contact finds nothing: it is sealed");
    http.expect(200, "PUT", "/api/conversations/" + story.chat + "/customer", s.agentToken(),
        of("contact", "010-5678-1234"));
    assertEquals(List.of(story.chat), found(s, "+82 10 5678 1234"), "a phone number however written");
    assertEquals(List.of(story.chat), found(s, "홍길"), "names are found by any part, as before");
  }

  @Test
  void aRotationSealsEverythingWithTheNewKeyWhileChatGoesOnAndARestartReadsItAll() throws Exception {
    Story story = story();
    TestServer.Setup s = story.s;
    // A row as a version before encryption stored it: the next start seals it.
    Legacy legacy = legacyCustomer(s.tenant(), "010-7777-8888", "예전 메모");
    Path keyFile = server.fieldKeyFile().toAbsolutePath();
    String before = FieldKeyFile.read(keyFile).orElseThrow().active();
    String next = before.equals("k9") ? "k10" : "k9";
    Files.createDirectories(dir);
    try (ServerProcess add = ServerProcess.command(List.of("add-key", next), tool(keyFile), dir.resolve("add.log"))) {
      assertEquals(0, add.awaitExit(Duration.ofMinutes(1)), add.log());
    }
    server.stop();
    server.start();
    assertTrue(server.awaitFieldsSealed().sealed() >= 2, "the legacy row's contact and memo");
    assertTrue(raw("SELECT contact FROM customer WHERE id = ?", legacy.customer).startsWith("enc:v1:" + next + ":"));
    assertEquals(List.of(legacy.conversation), found(s, "01077778888"), "indexed as it was sealed");

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      // Room for one more chat: the agent ends the two of the story (the SMS one is given them now).
      assignedTo(agent, story.smsChat);
      for (long done : List.of(story.chat, story.smsChat)) {
        agent.send(of("type", "close", "conversation", done));
        assertEquals(done, agent.until("closed").path("conversation").asLong());
      }
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long chat = customer.send(of("type", "start", "queue", "card", "form", Map.of("name", "강감찬", "contact",
          "kang@example.com"))).next("started").path("conversation").path("id").asLong();
      assignedTo(agent, chat);
      try (ServerProcess rotate = ServerProcess.command(List.of("rotate-keys"), tool(keyFile),
          dir.resolve("rotate.log"))) {
        // Chat goes on while the stored values are sealed again beside it.
        customer.send(of("type", "send", "conversation", chat, "cmid", "c-1", "text", "회전 중에도 보내요"));
        assertEquals(chat, agent.until("message").path("conversation").asLong());
        assertEquals(0, rotate.awaitExit(Duration.ofMinutes(2)), rotate.log());
        assertTrue(rotate.log().contains("keys in use now: [" + next + "]"), rotate.log());
      }
      agent.send(of("type", "send", "conversation", chat, "cmid", "a-1", "text", "네, 말씀하세요"));
      customer.until("message");
    }
    for (String value : rawPersonalValues(s.tenant())) {
      assertTrue(value.startsWith("enc:v1:" + next + ":"), "sealed again with the new key: " + value);
    }
    JsonNode audit = server.http().expect(200, "GET", "/api/audit?action=console.rotate-keys",
        server.adminToken(), null);
    assertTrue(audit.toString().contains("console.rotate-keys"), audit.toString());

    server.stop();
    server.start();
    JsonNode customer = server.http().expect(200, "GET", "/api/conversations/" + story.chat + "/customer",
        s.agentToken(), null);
    assertEquals("h***@example.com", customer.path("contact").asText(), "read after the restart");
    assertEquals("VIP 고객, 주민번호 뒷자리 문의함", customer.path("memo").asText());
    assertEquals("010-****-8901", server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/callbacks",
        s.adminToken(), null).get(0).path("phone").asText());
    assertEquals(List.of(story.chat), found(s, "hong.gildong@example.com"));
    assertEquals(List.of(legacy.conversation), found(s, "010-7777-8888"));
  }

  @Test
  void aStartWithoutTheKeysTheDatabaseUsesIsRefusedSayingWhy() throws Exception {
    story();
    Path keyFile = server.fieldKeyFile();
    FieldKeys kept = FieldKeyFile.read(keyFile).orElseThrow();
    Path aside = keyFile.resolveSibling(keyFile.getFileName() + ".aside");
    server.stop();
    try {
      Files.move(keyFile, aside, StandardCopyOption.REPLACE_EXISTING);
      assertRefused("does not exist, but the database holds personal fields sealed with the key(s) [", kept.active());
      assertFalse(Files.exists(keyFile), "no key file is made up for a database that has sealed fields");

      SecureRandom random = new SecureRandom();
      byte[] key = new byte[32];
      random.nextBytes(key);
      FieldKeyFile.write(keyFile, new FieldKeys(Map.of("x1", key), "x1", kept.indexKey()));
      assertRefused("it lacks the key(s) [", kept.active());

      FieldKeyFile.write(keyFile, new FieldKeys(Map.of(kept.active(), key), kept.active(), kept.indexKey()));
      assertRefused("are not the ones the database's fields were sealed with", kept.active());
    } finally {
      Files.move(aside, keyFile, StandardCopyOption.REPLACE_EXISTING);
    }
    server.start();
    server.http().expect(200, "GET", "/api/tenants", server.adminToken(), null);
  }

  private static void assertRefused(String expected, String keyId) {
    IllegalStateException refused = assertThrows(IllegalStateException.class, server::start);
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    assertTrue(refused.getMessage().contains(keyId), refused.getMessage());
    assertTrue(refused.getMessage().contains("crypto.keyFile"), refused.getMessage());
    server.stop();
  }

  @Test
  void aValueSealedWithAnUnknownKeyIsAnErrorForThatFieldAloneAndTheRestReads() throws Exception {
    Story story = story();
    SecureRandom random = new SecureRandom();
    String foreign = new FieldCipher(FieldKeys.generate(random).withNewActiveKey("zz", random), random)
        .seal("다른 키의 메모");
    String memoOf = "UPDATE customer SET memo = ? WHERE id = (SELECT customer_id FROM conversation WHERE id = ?)";
    update(memoOf, foreign, story.chat);
    try {
      JsonNode customer = server.http().expect(200, "GET", "/api/conversations/" + story.chat + "/customer",
          story.s.agentToken(), null);
      assertEquals("[unreadable: sealed with key zz]", customer.path("memo").asText());
      assertEquals("h***@example.com", customer.path("contact").asText(), "the other fields read");
      assertEquals(story.chat, server.http().expect(200, "GET", "/api/conversations/" + story.chat,
          story.s.adminToken(), null).path("id").asLong(), "the transcript opens");
    } finally {
      // The other tests' rotation would keep key zz in use for it.
      update(memoOf, null, story.chat);
    }
  }

  /** Waits for the agent's {@code assigned} of {@code conversation}, passing over others. */
  private static void assignedTo(WsClient agent, long conversation) {
    while (agent.until("assigned").path("conversation").path("id").asLong() != conversation) {
      continue;
    }
  }

  /** The settings of a one-shot command on the server's database and key file. */
  private static Map<String, String> tool(Path keyFile) {
    TestDatabase.Url db = server.database();
    return Map.of("db.url", db.url(), "db.user", db.user(), "db.password", db.password(), "data.dir",
        dir.resolve("tool").toString(), "crypto.keyFile", keyFile.toString(), "auth.passwordIterations", "1000");
  }

  private static List<Long> found(TestServer.Setup s, String customer) {
    JsonNode page = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?customer="
        + URLEncoder.encode(customer, StandardCharsets.UTF_8), s.adminToken(), null);
    List<Long> ids = new ArrayList<>();
    for (JsonNode c : page.path("conversations")) {
      ids.add(c.path("id").asLong());
    }
    return ids;
  }

  private static Connection connect() throws SQLException {
    TestDatabase.Url db = server.database();
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  private static List<String> rawPersonalValues(String tenant) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect()) {
      long tenantId = tenantId(c, tenant);
      for (String query : SEALED) {
        try (PreparedStatement ps = c.prepareStatement(query)) {
          ps.setLong(1, tenantId);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if (rs.getString(i) != null) {
                  out.add(rs.getString(i));
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static List<String> optedOutNumbers(String tenant) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT o.number FROM sms_opt_out o JOIN channel ch ON ch.id = o.channel_id WHERE ch.tenant_id = ?")) {
      ps.setLong(1, tenantId(c, tenant));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      assertFalse(out.isEmpty(), "the opt-out was stored");
      return out;
    }
  }

  private static long tenantId(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tenant WHERE code = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String raw(String query, long id) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(query)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void update(String statement, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private record Legacy(long customer, long conversation) {}

  /** A widget customer with a conversation, stored in plain text as before V047 (no blind index). */
  private static Legacy legacyCustomer(String tenant, String contact, String memo) throws SQLException {
    try (Connection c = connect()) {
      long tenantId = tenantId(c, tenant);
      update("INSERT INTO customer (tenant_id, visitor_hash, name, contact, memo, created_at) "
          + "VALUES (?, RANDOM_BYTES(32), '옛고객', ?, ?, NOW(3))", tenantId, contact, memo);
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM customer WHERE tenant_id = ?")) {
        ps.setLong(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long id = rs.getLong(1);
          update("""
              INSERT INTO conversation (tenant_id, center_id, queue_id, customer_id, state, created_at, queued_at,
                                        closed_at)
              SELECT c.tenant_id, c.center_id, c.queue_id, ?, 'CLOSED', NOW(3), NOW(3), NOW(3) FROM conversation c
              WHERE c.tenant_id = ? LIMIT 1
              """, id, tenantId);
          return new Legacy(id, Long.parseLong(raw("SELECT MAX(id) FROM conversation WHERE customer_id = ?", id)));
        }
      }
    }
  }
}
