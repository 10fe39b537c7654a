package io.sangdam.retention;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcRetentionStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the security review of retention asked for, on a clock the test moves: a customer's erasure keeps their
 * conversations of a record queue as records (stripped of what the record does not need) until the record's period
 * is over; undelivered webhook payloads go with the erased customer and after the tenant's days; a hold placed
 * after the job marked a conversation, before its erasure commits, keeps it whole.
 */
class RetentionSafeguardsIT {
  private static final ManualTime time = new ManualTime(Instant.parse("2026-01-05T01:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(time).with("retention.minimumDays", "30")
      .with("retention.batchSize", "2").with("webhooks.allowLoopback", "true");

  private final RetentionData data = new RetentionData(server);

  @BeforeAll
  static void passwordsDoNotExpire() {
    server.http().expect(200, "PUT", "/api/security-policy", server.adminToken(), of("expiryDays", 0));
  }

  private static String path(String tenant, String rest) {
    return "/api/tenants/" + tenant + rest;
  }

  private void run() {
    time.advance(Duration.ofHours(1));
    assertTrue(server.retentionJob().run().isPresent(), "this slot's run is this call's");
  }

  private long messages(long conversation) {
    return data.number("SELECT COUNT(*) FROM message WHERE conversation_id = ?", conversation);
  }

  private long count(String sql, Object... params) {
    return data.number(sql, params);
  }

  /** One customer's two conversations, one after the other: the first in {@code first}, then in {@code second}. */
  private long[] twoConversations(String tenant, String first, String second) {
    try (WsClient c = server.customer()) {
      c.send(of("type", "hello", "tenant", tenant, "center", "seoul")).until("welcome");
      long a = c.send(of("type", "start", "queue", first)).until("started").path("conversation").path("id").asLong();
      c.send(of("type", "send", "conversation", a, "cmid", "a1", "text", "카드 한도 문의")).until("ack");
      c.send(of("type", "leave", "conversation", a)).until("closed");
      long b = c.send(of("type", "start", "queue", second)).until("started").path("conversation").path("id").asLong();
      c.send(of("type", "send", "conversation", b, "cmid", "b1", "text", "대출 상환 이체 123-456-789")).until("ack");
      c.send(of("type", "leave", "conversation", b)).until("closed");
      return new long[] {a, b};
    }
  }

  @Test
  void anErasureKeepsTheRecordQueuesConversationsAsRecordsUntilTheirPeriodIsOver() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    http.expect(201, "POST", path(t, "/centers/seoul/queues"), admin,
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY", "maxChatsPerAgent", 2));
    http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 30, "recordDays", 1825,
        "recordQueues", List.of("seoul/loan"), "action", "DELETE"));
    long[] ids = twoConversations(t, "card", "loan");
    long plain = ids[0];
    long record = ids[1];
    long customer = data.number("SELECT customer_id FROM conversation WHERE id = ?", record);
    long tenantId = data.number("SELECT id FROM tenant WHERE code = ?", t);
    // What the pre-chat form, the rating and the bot leave on the record's conversation, written as they write it.
    data.update("""
        INSERT INTO conversation_pre_chat (conversation_id, tenant_id, name, contact, created_at)
        VALUES (?, ?, '홍길동', '010-1111-2222', NOW(3))""", record, tenantId);
    data.update("UPDATE conversation SET csat_score = 5, csat_comment = '홍길동 드림', bot_fields = "
        + "'{\"phone\":\"010-1111-2222\"}' WHERE id = ?", record);
    data.update("UPDATE customer SET name = '홍길동', contact = '010-1111-2222', memo = 'VIP', external_id = 'm-9' "
        + "WHERE id = ?", customer);
    long recordMessages = messages(record);
    long plainMessages = messages(plain);

    JsonNode erased = http.expect(200, "POST", path(t, "/customers/" + customer + "/erasure"), admin,
        of("reason", "고객 삭제 요청"));
    assertEquals(1, erased.path("conversations").asInt(), erased::toString);
    assertEquals(plainMessages, erased.path("messages").asLong());
    assertEquals(1, erased.path("keptAsRecord").asInt(), erased::toString);
    assertEquals(0, messages(plain));
    assertEquals(0, count("SELECT COUNT(*) FROM conversation WHERE id = ?", plain), "DELETE: the row goes");
    assertEquals(recordMessages, messages(record), "the record's transcript is kept");
    assertNull(data.one("SELECT purged_at FROM conversation WHERE id = ?", record));
    assertEquals("5", data.one("SELECT csat_score FROM conversation WHERE id = ?", record));
    assertNull(data.one("SELECT COALESCE(csat_comment, bot_fields, bot_state, channel_user) FROM conversation "
        + "WHERE id = ?", record), "what the record does not need goes");
    assertEquals(0, count("SELECT COUNT(*) FROM conversation_pre_chat WHERE conversation_id = ?", record));
    assertEquals("", data.one("SELECT name FROM customer WHERE id = ?", customer), "the customer is erased");
    assertNull(data.one("SELECT COALESCE(contact, contact_index, memo, external_id) FROM customer WHERE id = ?",
        customer));
    assertNotNull(data.one("SELECT purged_at FROM customer WHERE id = ?", customer));
    String audit = data.one("""
        SELECT detail FROM audit_log WHERE action = 'retention.erase' AND target = ? ORDER BY id DESC LIMIT 1""",
        "customer " + customer);
    assertTrue(audit.startsWith("conversations=1 ") && audit.contains(" keptAsRecord=1 "), audit);
    assertEquals(404, http.send("POST", path(t, "/customers/" + customer + "/erasure"), admin,
        of("reason", "다시")).status(), "a repeat: no such customer");

    time.advance(Duration.ofDays(1824));
    run();
    assertEquals(recordMessages, messages(record), "within its record period");
    time.advance(Duration.ofDays(2));
    run();
    assertEquals(0, messages(record), "over, the job erases the record as usual");
    assertEquals(0, count("SELECT COUNT(*) FROM conversation WHERE id = ?", record));
    assertEquals(0, count("SELECT COUNT(*) FROM customer WHERE id = ?", customer),
        "its customer, erased already, had no other conversation left");
  }

  /** A webhook of the tenant to a port nobody listens on: its deliveries stay undelivered, their payloads kept. */
  private void unreachableWebhook(TestServer.Setup s) {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.http().expect(201, "POST", path(s.tenant(), "/webhooks"), s.adminToken(), of("url",
        "http://127.0.0.1:" + port + "/hook", "events", List.of("conversation.started", "message.created")));
  }

  private long deliveriesAbout(long customer) {
    return count("SELECT COUNT(*) FROM webhook_delivery WHERE JSON_VALUE(CONVERT(body USING utf8mb4), "
        + "'$.data.customer.id') = ?", String.valueOf(customer));
  }

  @Test
  void undeliveredWebhookPayloadsGoWithTheErasedCustomerAndAfterTheTenantsDays() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 30));
    unreachableWebhook(s);
    RetentionData.Visit erased = data.abandoned(t, "card", "제 이름은 홍길동입니다");
    RetentionData.Visit other = data.abandoned(t, "card", "다른 고객의 문의");
    Eventually.eventually("both customers' events in the webhook outbox",
        () -> deliveriesAbout(erased.customer()) == 2 && deliveriesAbout(other.customer()) == 2);

    JsonNode answer = http.expect(200, "POST", path(t, "/customers/" + erased.customer() + "/erasure"), admin,
        of("reason", "고객 삭제 요청"));
    assertEquals(2, answer.path("webhookDeliveries").asInt(), answer::toString);
    assertEquals(0, deliveriesAbout(erased.customer()), "the erased customer's payloads are gone");
    assertEquals(2, deliveriesAbout(other.customer()), "another's stay while within the tenant's days");

    time.advance(Duration.ofDays(29));
    run();
    assertEquals(2, deliveriesAbout(other.customer()));
    time.advance(Duration.ofDays(2));
    run();
    assertEquals(0, deliveriesAbout(other.customer()), "older than the tenant's days, they go");
    assertTrue(data.one("""
        SELECT a.detail FROM audit_log a JOIN tenant t ON t.id = a.tenant_id
        WHERE t.code = ? AND a.action = 'retention.run' ORDER BY a.id DESC LIMIT 1""", t)
        .contains(" deliveries=2 "), "counted in the run's audit entry");
  }

  @Test
  void aHoldPlacedAfterTheJobMarkedAConversationKeepsItWhole() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 30));
    RetentionData.Visit heldConversation = data.abandoned(t, "card", "수사기관 요청 건");
    RetentionData.Visit heldCustomer = data.abandoned(t, "card", "분쟁 중인 결제 건");
    RetentionData.Visit due = data.abandoned(t, "card", "주소 변경");
    RetentionData.Visit decided = data.abandoned(t, "card", "해지 문의");
    long tenantId = data.number("SELECT id FROM tenant WHERE code = ?", t);
    long heldMessages = messages(heldConversation.conversation());
    time.advance(Duration.ofDays(31));
    // The tenant admin's token has expired by now: HQ acts.

    TestDatabase.Url url = server.database();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      JdbcRetentionStore store = new JdbcRetentionStore(db);
      // The job's first phase, as a run cut short after it leaves it: four conversations marked for erasure.
      assertEquals(4, store.mark(tenantId, List.of(heldConversation.conversation(), heldCustomer.conversation(),
          due.conversation(), decided.conversation()), RetentionPolicy.Action.ANONYMISE, time.instant()));
      // One whose erasure committed before any hold: a hold on it now finds nothing left to hold.
      assertEquals(0, store.decide(List.of(decided.conversation())), "none withdrawn");
      assertEquals(404, http.send("POST", path(t, "/legal-holds"), server.adminToken(), of("conversation",
          decided.conversation(), "reason", "늦은 보존")).status());
    }
    long conversationHold = http.expect(201, "POST", path(t, "/legal-holds"), server.adminToken(),
        of("conversation", heldConversation.conversation(), "reason", "수사기관 자료 요청")).path("id").asLong();
    http.expect(201, "POST", path(t, "/legal-holds"), server.adminToken(), of("customer", heldCustomer.customer(),
        "reason", "소송 증거 보전"));

    run();
    for (RetentionData.Visit kept : List.of(heldConversation, heldCustomer)) {
      assertTrue(messages(kept.conversation()) > 0, "held after its marking, it is kept whole");
      assertNull(data.one("SELECT purged_at FROM conversation WHERE id = ?", kept.conversation()));
      assertEquals(0, count("SELECT COUNT(*) FROM retention_pending WHERE conversation_id = ?",
          kept.conversation()), "and no longer marked");
    }
    assertEquals(heldMessages, messages(heldConversation.conversation()));
    assertEquals(0, messages(due.conversation()));
    assertEquals(0, messages(decided.conversation()), "the one decided before finishes");
    assertEquals(0, count("SELECT COUNT(*) FROM retention_pending WHERE tenant_id = ?", tenantId));

    run();
    assertTrue(messages(heldConversation.conversation()) > 0, "a later run leaves it too");
    http.expect(200, "POST", path(t, "/legal-holds/" + conversationHold + "/release"), server.adminToken(),
        of("reason", "수사 종결"));
    run();
    assertEquals(0, messages(heldConversation.conversation()), "released, it goes at the next run");
    assertTrue(messages(heldCustomer.conversation()) > 0);
  }
}
