package io.sangdam;

import io.sangdam.auth.PasswordHasher;
import io.sangdam.canned.CannedResponses;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo tenant of {@code scripts/run}: tenant demo, center seoul, queue general, an agent, the
 * center's manager, a canned response and two categories, so the apps can be tried at once.
 */
final class DemoTenant {
  private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);
  static final String AGENT = "agent";
  static final String AGENT_PASSWORD = "agent1234";
  static final String MANAGER = "manager";
  static final String MANAGER_PASSWORD = "manager1234";

  private final Directory directory;
  private final PasswordHasher passwords;
  private final CannedResponses canned;

  DemoTenant(Directory directory, PasswordHasher passwords, CannedResponses canned) {
    this.directory = directory;
    this.passwords = passwords;
    this.canned = canned;
  }

  void ensure() {
    if (directory.tenantByCode("demo").isPresent()) {
      return;
    }
    Tenant tenant = directory.createTenant("demo", "데모 계열사");
    Center center = directory.createCenter(tenant, "seoul", "서울 센터", Optional.of("Asia/Seoul"));
    Queue queue = directory.createQueue(center,
        new NewQueue("general", "일반 문의", RoutingPolicy.LEAST_BUSY, 3, 0, true, null, null));
    directory.createUser(new NewUser(tenant.id(), center.id(), AGENT, "김상담", Role.AGENT,
        passwords.hash(AGENT_PASSWORD), null, Set.of(queue.id())));
    directory.createUser(new NewUser(tenant.id(), center.id(), MANAGER, "박센터장", Role.CENTER_MANAGER,
        passwords.hash(MANAGER_PASSWORD), null, Set.of(queue.id())));
    canned.create(tenant.id(), null, null, "첫인사", "hi",
        "안녕하세요 {customer.name}님, {center.name} {agent.name}입니다. 무엇을 도와드릴까요?");
    directory.createCategory(tenant, Optional.empty(), "카드 분실");
    directory.createCategory(tenant, Optional.empty(), "결제 문의");
    log.info("created the demo tenant: demo / seoul / general, agent '{}', manager '{}'", AGENT, MANAGER);
  }

  static void printUrls(int port) {
    log.info("""

        ==================== Sangdam demo ====================
          Customer widget  http://localhost:{}/widget/?tenant=demo&center=seoul
          Company page     http://localhost:{}/widget/demo.html   (the widget embedded with one script tag)
          Agent console    http://localhost:{}/agent/   (tenant=demo, username={}, password={})
          Admin console    http://localhost:{}/admin/   (tenant=demo, username={}, password={}; HQ: username=admin, tenant left empty)
          REST API         http://localhost:{}/api/
          HQ admin         username=admin, password from SANGDAM_ADMIN_PASSWORD (or the one printed above)
        ======================================================""", port, port, port, AGENT, AGENT_PASSWORD, port, MANAGER,
        MANAGER_PASSWORD, port);
  }
}
