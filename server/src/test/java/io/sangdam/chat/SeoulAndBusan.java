package io.sangdam.chat;

import static io.sangdam.testing.Json.of;

import io.sangdam.testing.TestServer;

/** The scope tests' tenant: a manager of its seoul center, and a busan center with a loan queue beside it. */
final class SeoulAndBusan {
  private SeoulAndBusan() {}

  /** Adds the seoul manager {@code username} and busan/loan to {@code s}'s tenant; the manager's token. */
  static String seoulManagerBesideBusan(TestServer server, TestServer.Setup s, String username) {
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", username, "password",
        TestServer.STAFF_PASSWORD, "name", "서울매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    server.http().expect(201, "POST", base + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", base + "/centers/busan/queues", s.adminToken(),
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY"));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }
}
