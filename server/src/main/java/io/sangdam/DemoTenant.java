package io.sangdam;

import io.sangdam.auth.PasswordHasher;
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

/** The demo tenant of {@code scripts/run}: tenant demo, center seoul, queue general, and an agent, so the apps can be tried at once. */
final class DemoTenant {
  private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);
  static final String AGENT = "agent";
  static final String AGENT_PASSWORD = "agent1234";

  private final Directory directory;
  private final PasswordHasher passwords;

  DemoTenant(Directory directory, PasswordHasher passwords) {
    this.directory = directory;
    this.passwords = passwords;
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
    log.info("created the demo tenant: demo / seoul / general, agent '{}'", AGENT);
  }

  static void printUrls(int port) {
    log.info("""

        ==================== Sangdam demo ====================
          Customer widget  http://localhost:{}/widget/?tenant=demo&center=seoul
          Company page     http://localhost:{}/widget/demo.html   (the widget embedded with one script tag)
          Agent console    http://localhost:{}/agent/   (tenant=demo, username={}, password={})
          Admin console    http://localhost:{}/admin/   (HQ: username=admin, tenant left empty)
          REST API         http://localhost:{}/api/
          HQ admin         username=admin, password from SANGDAM_ADMIN_PASSWORD (or the one printed above)
        ======================================================""", port, port, port, AGENT, AGENT_PASSWORD, port, port);
  }
}
