package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.auth.Visitors;
import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Customer identity across channels in the consoles: the agent answering a channel's customer proposes,
 * from the customer panel, that they are one member, then another; the tenant admin rejects the first with a
 * reason and accepts the second in the admin console; the agent's panel then shows both decisions, the member
 * id, and the member's earlier widget conversation in the history.
 */
class CustomerLinkBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  @Test
  void anAgentProposesAndTheAdminAcceptsAndTheHistoryShowsBoth() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String t = "/api/tenants/" + s.tenant();
    String identitySecret = http.expect(200, "POST", t + "/identity-secret", s.adminToken(), null).path("secret")
        .asText();
    String secret = http.expect(201, "POST", t + "/channels", s.adminToken(), of("code", "app", "kind", "CUSTOM",
        "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out")).path("secret").asText();
    http.expect(201, "POST", t + "/users", s.adminToken(), of("username", "boss", "password", TestServer.STAFF_PASSWORD,
        "name", "관리자", "role", "TENANT_ADMIN"));
    // The member wrote from the company's page before, verified.
    try (WsClient agent = server.agent().ignoring("presence"); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동", "externalId",
          "member-77", "signature", HexFormat.of().formatHex(Visitors.hmac(identitySecret, "member-77"))))
          .next("welcome");
      long web = customer.send(of("type", "start", "queue", "card", "text", "웹에서 카드 문의")).next("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");
      agent.send(of("type", "close", "conversation", web));
      agent.until("closed");
      agent.send(of("type", "status", "status", "OFFLINE")).next("status");
    }

    try (Browser console = Browser.open(); Browser admin = Browser.open()) {
      console.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      console.choose("#status", "ONLINE");
      byte[] bytes = of("user", "kakao-9", "name", "채널고객", "mid", "m-1", "text", "카톡으로 문의합니다").toString()
          .getBytes(StandardCharsets.UTF_8);
      Http.Response r = http.sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
          Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)),
          bytes);
      assertEquals(200, r.status(), r.body().toString());
      console.showing("#messages", "카톡으로 문의합니다");
      console.showing("#earlier", "이전 상담이 없습니다");

      console.visible("#link-open").click();
      console.visible("#link-external").sendKeys("member-76");
      console.visible("#link-form button[type=submit]").click();
      console.showing("#link-proposals", "member-76 · 승인 대기");
      console.visible("#link-open").click();
      console.visible("#link-external").sendKeys("member-77");
      console.visible("#link-note").sendKeys("본인확인: 생년월일+휴대폰 뒷자리");
      console.visible("#link-form button[type=submit]").click();
      console.showing("#link-notice", "연결을 제안했습니다");
      console.showing("#link-proposals", "member-77 · 승인 대기");
      console.screenshot("agent-link-proposed");

      admin.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      admin.visible("#nav button[data-view=links]").click();
      admin.showing("#links-list tbody", "본인확인: 생년월일+휴대폰 뒷자리");
      admin.showing("#links-list tbody", "김상담");
      admin.screenshot("admin-link-proposals");
      admin.visible("#links-list tr[data-external-id=member-76] button:not(.primary)").click();
      admin.visible("#links-list tr[data-external-id=member-76] input.reason").sendKeys("회원 정보 불일치");
      admin.visible("#links-list tr[data-external-id=member-76] button.confirm-reject").click();
      admin.showing("#notice", "member-76 연결 제안을 거절했습니다");
      console.showing("#link-proposals", "member-76 · 거절됨 (회원 정보 불일치)");
      admin.visible("#links-list tr[data-external-id=member-77] button.primary").click();
      admin.showing("#notice", "member-77(으)로 연결했습니다");
      admin.choose("#links-status", "accepted");
      admin.showing("#links-list tbody", "승인됨 · 관리자");

      console.showing("#link-proposals", "member-77 · 연결됨");
      console.showing("#profile-external", "member-77");
      console.showing("#earlier", "웹에서 카드 문의");
      console.screenshot("agent-link-accepted-history");
    }
  }
}
