package io.sangdam.retention;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on one node, on a clock the test moves: conversations erased in batches (two to a batch here) once
 * their days are over, held ones and those of a record queue kept, the statistics of their day unchanged; the
 * setting's and the holds' bad input; a customer's erasure on request leaving nothing of them in any table.
 */
class RetentionIT {
  private static final ManualTime time = new ManualTime(Instant.parse("2026-01-05T01:00:00Z"));

  @RegisterExtension
  static final TestServer server = new TestServer().withClock(time).with("retention.minimumDays", "30")
      .with("retention.batchSize", "2");

  private final RetentionData data = new RetentionData(server);

  /** Years pass here: the staff's passwords must not expire meanwhile (the policy's own tests show that they do). */
  @BeforeAll
  static void passwordsDoNotExpire() {
    server.http().expect(200, "PUT", "/api/security-policy", server.adminToken(), of("expiryDays", 0));
  }

  private static String path(String tenant, String rest) {
    return "/api/tenants/" + tenant + rest;
  }

  /** The latest per-tenant audit entry of the job, as the run left it. */
  private String lastRun(String tenant) {
    return data.one("""
        SELECT a.detail FROM audit_log a JOIN tenant t ON t.id = a.tenant_id
        WHERE t.code = ? AND a.action = 'retention.run' ORDER BY a.id DESC LIMIT 1""", tenant);
  }

  /** Runs the job in a slot of its own: the clock moves past the slot of the previous run first. */
  private void run() {
    time.advance(Duration.ofHours(1));
    assertTrue(server.retentionJob().run().isPresent(), "this slot's run is this call's");
  }

  private long messages(long conversation) {
    return data.number("SELECT COUNT(*) FROM message WHERE conversation_id = ?", conversation);
  }

  @Test
  void afterItsDaysAConversationIsAnonymisedButHeldAndRecordOnesAreKeptAndTheDaysStatisticsStay() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    http.expect(201, "POST", path(t, "/centers/seoul/queues"), s.adminToken(),
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY", "maxChatsPerAgent", 2));
    String[] sha = new String[1];
    RetentionData.Visit handled = data.handled(s, sha);
    RetentionData.Visit second = data.abandoned(t, "card", "해지하고 싶어요");
    RetentionData.Visit third = data.abandoned(t, "card", "주소 변경");
    RetentionData.Visit heldCustomer = data.abandoned(t, "card", "분쟁 중인 결제 건");
    RetentionData.Visit heldConversation = data.abandoned(t, "card", "수사기관 요청 건");
    RetentionData.Visit record = data.abandoned(t, "loan", "대출 상환 이체 내역");
    String admin = s.adminToken();
    JsonNode setting = http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 30, "recordDays", 1825,
        "recordQueues", List.of("seoul/loan"), "action", "ANONYMISE"));
    assertEquals(of("days", 30, "recordDays", 1825, "recordQueues", List.of("seoul/loan"), "action", "ANONYMISE",
        "minimumDays", 30), setting);
    http.expect(201, "POST", path(t, "/legal-holds"), admin, of("customer", heldCustomer.customer(), "reason",
        "소송 증거 보전"));
    long conversationHold = http.expect(201, "POST", path(t, "/legal-holds"), admin, of("conversation",
        heldConversation.conversation(), "reason", "수사기관 자료 요청")).path("id").asLong();
    String day = "/api/stats?scope=" + t + "&from=2026-01-05&to=2026-01-05&interval=hour";
    JsonNode statsBefore = http.expect(200, "GET", day, admin, null);
    assertEquals(6, statsBefore.path("total").path("offered").asInt());
    long due = messages(handled.conversation()) + messages(second.conversation()) + messages(third.conversation());
    String preview = data.one("SELECT preview_sha256 FROM attachment WHERE conversation_id = ?", handled.conversation());
    // A picture smaller than a preview is its own preview: one file.
    int files = preview != null && !preview.equals(sha[0]) ? 2 : 1;
    assertTrue(RetentionData.fileStored(sha[0]));

    time.advance(Duration.ofDays(29));
    run();
    assertEquals("conversations=0 messages=0 attachments=0 files=0 customers=0 deliveries=0 action=ANONYMISE",
        lastRun(t).replaceAll(" node=.*", ""));

    time.advance(Duration.ofDays(2));
    run();
    assertEquals("conversations=3 messages=" + due + " attachments=1 files=" + files
        + " customers=3 deliveries=0 action=ANONYMISE", lastRun(t).replaceAll(" node=.*", ""));
    for (RetentionData.Visit gone : List.of(handled, second, third)) {
      assertEquals(0, messages(gone.conversation()));
      assertNotNull(data.one("SELECT purged_at FROM conversation WHERE id = ?", gone.conversation()));
      assertEquals("", data.one("SELECT name FROM customer WHERE id = ?", gone.customer()));
      assertNull(data.one("SELECT COALESCE(contact, contact_index, channel_user, channel_user_index) FROM customer "
          + "WHERE id = ?", gone.customer()), "no contact, nor its blind index, is left");
    }
    assertEquals(0, data.number("SELECT COUNT(*) FROM attachment WHERE conversation_id = ?", handled.conversation()));
    assertFalse(RetentionData.fileStored(sha[0]), "the attachment's file is gone from disk");
    assertTrue(preview == null || !RetentionData.fileStored(preview), "and its preview's");
    assertEquals("4", data.one("SELECT csat_score FROM conversation WHERE id = ?", handled.conversation()),
        "the figures stay");
    assertNull(data.one("SELECT csat_comment FROM conversation WHERE id = ?", handled.conversation()));
    for (RetentionData.Visit kept : List.of(heldCustomer, heldConversation, record)) {
      assertTrue(messages(kept.conversation()) > 0);
      assertNull(data.one("SELECT purged_at FROM customer WHERE id = ?", kept.customer()));
    }
    assertEquals(statsBefore, http.expect(200, "GET", day, server.adminToken(), null),
        "the day's statistics read the same");

    time.advance(Duration.ofDays(1795));
    run();
    assertEquals(0, messages(record.conversation()), "five years on, the record queue's conversation goes too");
    assertTrue(messages(heldConversation.conversation()) > 0);
    assertTrue(messages(heldCustomer.conversation()) > 0);

    http.expect(200, "POST", path(t, "/legal-holds/" + conversationHold + "/release"), server.adminToken(),
        of("reason", "수사 종결"));
    run();
    assertEquals(0, messages(heldConversation.conversation()), "released, it goes at the next run");
    assertTrue(messages(heldCustomer.conversation()) > 0, "still held");
    assertEquals(statsBefore, http.expect(200, "GET", day, server.adminToken(), null));
  }

  @Test
  void aPeriodBelowTheLegalMinimumAndOtherBadSettingsAreRefusedNamingTheField() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    assertEquals(of("days", null, "recordDays", null, "recordQueues", List.of(), "action", null, "minimumDays", 30),
        http.expect(200, "GET", path(t, "/retention"), admin, null), "no setting: kept for ever");
    refused(http, admin, t, of("days", 29), "days");
    assertTrue(data.one("""
        SELECT a.detail FROM audit_log a JOIN tenant t ON t.id = a.tenant_id
        WHERE t.code = ? AND a.action = 'retention.refused' ORDER BY a.id DESC LIMIT 1""", t)
        .contains("days=29 is below the legal minimum of 30 days"));
    refused(http, admin, t, of("days", 60, "recordDays", 29), "recordDays");
    refused(http, admin, t, of("days", 60, "recordDays", 45), "recordDays");
    refused(http, admin, t, of("days", 60, "recordQueues", List.of("seoul/card")), "recordDays");
    refused(http, admin, t, of("days", 60, "recordDays", 90, "recordQueues", List.of("seoul/nope")),
        "recordQueues[0]");
    refused(http, admin, t, of("days", 60, "recordDays", 90, "recordQueues", List.of("../card")), "recordQueues[0]");
    refused(http, admin, t, of("days", 60, "action", "SHRED"), "action");
    refused(http, admin, t, of("days", 60, "keep", true), "keep");
    refused(http, admin, t, of("days", "60"), "days");
    refused(http, admin, t, of("days", 36_501), "days");
    refused(http, admin, t, of(), "days");
    assertEquals(400, http.sendRaw("PUT", path(t, "/retention"), admin, "{days:".getBytes()).status());
    assertEquals(404, http.send("PUT", path("nope", "/retention"), admin, of("days", 60)).status());
    assertEquals(of("days", null, "recordDays", null, "recordQueues", List.of(), "action", null, "minimumDays", 30),
        http.expect(200, "GET", path(t, "/retention"), admin, null), "nothing stored by any of them");
    http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 30));
    assertEquals("ANONYMISE", http.expect(200, "GET", path(t, "/retention"), admin, null).path("action").asText());
    http.expect(204, "DELETE", path(t, "/retention"), admin, null);
    http.expect(204, "DELETE", path(t, "/retention"), admin, null);
    assertTrue(http.expect(200, "GET", path(t, "/retention"), admin, null).path("days").isNull());
  }

  private static void refused(Http http, String token, String tenant, Object body, String field) {
    Http.Response r = http.send("PUT", path(tenant, "/retention"), token, body);
    assertEquals(422, r.status(), r.body()::toString);
    assertEquals(field, r.body().path("error").path("field").asText(), r.body()::toString);
  }

  @Test
  void holdsNeedAReasonOneSubjectOfTheTenantAndAreReleasedOnce() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    RetentionData.Visit visit = data.abandoned(t, "card", "문의");
    RetentionData.Visit elsewhere = data.abandoned(other.tenant(), "card", "다른 회사");
    String holds = path(t, "/legal-holds");
    assertEquals(422, http.send("POST", holds, admin, of("customer", visit.customer())).status(), "no reason");
    assertEquals(422, http.send("POST", holds, admin, of("customer", visit.customer(), "reason", "  ")).status());
    assertEquals(422, http.send("POST", holds, admin, of("customer", visit.customer(), "reason", "x".repeat(501)))
        .status());
    assertEquals(422, http.send("POST", holds, admin, of("reason", "둘 다 없음")).status());
    assertEquals(422, http.send("POST", holds, admin, of("customer", visit.customer(), "conversation",
        visit.conversation(), "reason", "둘 다")).status());
    assertEquals(422, http.send("POST", holds, admin, of("customer", -1, "reason", "음수")).status());
    assertEquals(404, http.send("POST", holds, admin, of("customer", elsewhere.customer(), "reason", "남의 고객"))
        .status(), "another tenant's customer is not found");
    assertEquals(404, http.send("POST", holds, admin, of("conversation", 999_999_999, "reason", "없음")).status());
    JsonNode hold = http.expect(201, "POST", holds, admin, of("customer", visit.customer(), "reason", "감사 대응"));
    assertEquals("감사 대응", hold.path("reason").asText());
    assertEquals("admin", hold.path("placedBy").asText());
    Http.Response again = http.send("POST", holds, admin, of("customer", visit.customer(), "reason", "또"));
    assertEquals(409, again.status(), "one active hold per subject");
    assertEquals(1, http.expect(200, "GET", holds, admin, null).path("holds").size());
    assertEquals(0, http.expect(200, "GET", path(other.tenant(), "/legal-holds"), admin, null).path("holds").size());
    String release = holds + "/" + hold.path("id").asLong() + "/release";
    assertEquals(422, http.send("POST", release, admin, of()).status(), "a release needs its reason too");
    assertEquals(404, http.send("POST", path(other.tenant(), "/legal-holds/" + hold.path("id").asLong()
        + "/release"), admin, of("reason", "남의 보류")).status());
    assertEquals(404, http.send("POST", holds + "/abc/release", admin, of("reason", "x")).status());
    JsonNode released = http.expect(200, "POST", release, admin, of("reason", "감사 종료"));
    assertEquals("감사 종료", released.path("releaseReason").asText());
    assertEquals(409, http.send("POST", release, admin, of("reason", "다시")).status());
    assertEquals(0, http.expect(200, "GET", holds, admin, null).path("holds").size());
    assertEquals(1, http.expect(200, "GET", holds + "?all=true", admin, null).path("holds").size());
    assertEquals(2, data.number("""
        SELECT COUNT(*) FROM audit_log a JOIN tenant t ON t.id = a.tenant_id
        WHERE t.code = ? AND a.action IN ('retention.hold.place', 'retention.hold.release')""", t));
  }

  @Test
  void aCustomersErasureLeavesNothingOfThemInAnyTableAndARepeatIsNotFound() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    String admin = s.adminToken();
    http.expect(200, "PUT", path(t, "/retention"), admin, of("days", 365, "action", "DELETE"));
    String[] sha = new String[1];
    RetentionData.Visit visit = data.handled(s, sha);
    long customer = visit.customer();
    long conversation = visit.conversation();
    long tenantId = data.number("SELECT id FROM tenant WHERE code = ?", t);
    // What the widget's pre-chat form, the bot, a callback request and an offline inquiry leave: written as those
    // paths write them, so every table that holds a customer's data has a row of theirs.
    data.update("UPDATE conversation SET bot_fields = '{\"account\":\"123-45\"}', channel_user = 'u1' WHERE id = ?",
        conversation);
    data.update("""
        INSERT INTO conversation_pre_chat (conversation_id, tenant_id, name, contact, created_at)
        VALUES (?, ?, '홍길동', '010-1111-2222', NOW(3))""", conversation, tenantId);
    data.update("""
        INSERT INTO conversation_note (conversation_id, author_id, kind, body, created_at)
        SELECT ?, id, 'NOTE', '고객 010-1111-2222', NOW(3) FROM app_user WHERE username = 'kim' AND tenant_id = ?""",
        conversation, tenantId);
    data.update("""
        INSERT INTO callback_request (tenant_id, center_id, queue_id, customer_id, conversation_id, client_id, phone,
          slot_at, due_at, state, created_at)
        SELECT tenant_id, center_id, queue_id, customer_id, id, 'cb1', '010-1111-2222', NOW(3), NOW(3), 'OPEN', NOW(3)
        FROM conversation WHERE id = ?""", conversation);
    data.update("""
        INSERT INTO offline_inquiry (tenant_id, center_id, queue_id, customer_id, contact, body, created_at)
        SELECT tenant_id, center_id, queue_id, customer_id, '010-1111-2222', '연락 주세요', NOW(3)
        FROM conversation WHERE id = ?""", conversation);
    data.update("UPDATE customer SET contact = '010-1111-2222', memo = 'VIP', external_id = 'm-77' WHERE id = ?",
        customer);
    String erase = path(t, "/customers/" + customer + "/erasure");

    long hold = http.expect(201, "POST", path(t, "/legal-holds"), admin, of("customer", customer, "reason", "분쟁"))
        .path("id").asLong();
    Http.Response held = http.send("POST", erase, admin, of("reason", "고객 삭제 요청"));
    assertEquals(409, held.status(), "refused while held");
    assertTrue(messagesOf(customer) >= 2, "nothing erased");
    http.expect(200, "POST", path(t, "/legal-holds/" + hold + "/release"), admin, of("reason", "분쟁 종결"));
    assertEquals(422, http.send("POST", erase, admin, of()).status(), "a reason is required");
    assertEquals(404, http.send("POST", path(t, "/customers/999999999/erasure"), admin, of("reason", "x")).status());
    assertEquals(404, http.send("POST", path(t, "/customers/abc/erasure"), admin, of("reason", "x")).status());

    JsonNode erased = http.expect(200, "POST", erase, admin, of("reason", "고객 삭제 요청 2026-01-05"));
    assertEquals(1, erased.path("conversations").asInt());
    assertEquals(1, erased.path("attachments").asInt());
    assertFalse(RetentionData.fileStored(sha[0]));
    for (String table : List.of("message", "attachment", "conversation_note", "conversation_pre_chat",
        "conversation_tag", "conversation_assignment", "channel_outbound", "customer_link_proposal")) {
      assertEquals(0, data.number("SELECT COUNT(*) FROM " + table + " WHERE conversation_id = ?", conversation),
          table);
    }
    for (String table : List.of("conversation", "callback_request", "offline_inquiry", "customer_link_proposal")) {
      assertEquals(0, data.number("SELECT COUNT(*) FROM " + table + " WHERE customer_id = ?", customer), table);
    }
    assertEquals(0, data.number("SELECT COUNT(*) FROM customer WHERE id = ?", customer));
    assertEquals(0, data.number("SELECT COUNT(*) FROM retention_pending WHERE conversation_id = ?", conversation));
    assertTrue(data.one("""
        SELECT detail FROM audit_log WHERE action = 'retention.erase' AND target = ? ORDER BY id DESC LIMIT 1""",
        "customer " + customer).startsWith("conversations=1 "));
    assertEquals(404, http.send("POST", erase, admin, of("reason", "다시")).status(), "a repeat: no such customer");
  }

  private long messagesOf(long customer) {
    return data.number("""
        SELECT COUNT(*) FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.customer_id = ?""",
        customer);
  }

  @Test
  void aCustomerWithAConversationNotEndedIsNotErasedYet() {
    TestServer.Setup s = server.setUp();
    String t = s.tenant();
    Http http = server.http();
    try (var customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", t, "center", "seoul")).until("welcome");
      long id = customer.send(of("type", "start", "queue", "card")).until("started").path("conversation").path("id")
          .asLong();
      long customerId = data.number("SELECT customer_id FROM conversation WHERE id = ?", id);
      Http.Response r = http.send("POST", path(t, "/customers/" + customerId + "/erasure"), s.adminToken(),
          of("reason", "삭제 요청"));
      assertEquals(409, r.status(), r.body()::toString);
      assertNull(data.one("SELECT purged_at FROM customer WHERE id = ?", customerId));
    }
  }
}
