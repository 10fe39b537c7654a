package io.sangdam;

import io.sangdam.auth.PasswordHasher;
import io.sangdam.bot.BotEditor;
import io.sangdam.bot.SavedScenario;
import io.sangdam.canned.CannedResponses;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo tenant of {@code scripts/run}: tenant demo, center seoul, queue general, an agent, the
 * center's manager, a canned response and two categories, so the apps can be tried at once; and a bot in front of
 * queue general (the Korean scenario {@code bot/scenario/demo-scenario.json} and a small FAQ, {@code demo-faq.txt}),
 * so a newcomer meets it at once.
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
  private final BotEditor bots;
  private final Json json;

  DemoTenant(Directory directory, PasswordHasher passwords, CannedResponses canned, BotEditor bots, Json json) {
    this.directory = directory;
    this.passwords = passwords;
    this.canned = canned;
    this.bots = bots;
    this.json = json;
  }

  void ensure() {
    Optional<Tenant> existing = directory.tenantByCode("demo");
    if (existing.isPresent()) {
      // A demo tenant made before the bot existed gets it too; one whose admins made scenarios keeps theirs.
      if (bots.scenarios(existing.get().id()).isEmpty()) {
        ensureBot(existing.get());
      }
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
    ensureBot(tenant);
    log.info("created the demo tenant: demo / seoul / general, agent '{}', manager '{}'", AGENT, MANAGER);
  }

  /** The demo scenario greeting queue general of center seoul, and the demo FAQ. */
  private void ensureBot(Tenant tenant) {
    Optional<Center> center = directory.center(tenant.id(), "seoul");
    Optional<Queue> queue = center.flatMap(c -> directory.queue(c.id(), "general"));
    if (queue.isEmpty()) {
      return; // the demo's admins changed it past recognition: leave their tenant alone
    }
    String scenario = resource("bot/scenario/demo-scenario.json");
    SavedScenario saved = bots.create(tenant.id(), json.readObject(scenario), scenario, null, null);
    bots.setEntry(tenant.id(), BotEditor.Place.queue(center.get().id(), queue.get().id()), saved.id(), null);
    if (bots.faq(tenant.id()).isEmpty()) {
      for (String line : resource("demo-faq.txt").split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\|", -1);
        List<String> alternatives = Arrays.stream(parts[2].split(";")).map(String::strip).filter(a -> !a.isEmpty())
            .toList();
        bots.addFaq(tenant.id(), parts[1].strip(), alternatives, parts[3].strip(), true);
      }
    }
  }

  private static String resource(String name) {
    try (InputStream in = DemoTenant.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the demo's resource " + name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void printUrls(int port, Optional<String> generatedAdminPassword, String launcher) {
    log.info(banner(port, generatedAdminPassword, launcher));
  }

  /**
   * The demo's addresses and sign-ins (each address answers 200: DemoTenantIT). HQ's {@code admin}: the
   * password generated at this start, if it was; else where it came from and how to set another
   * ({@code launcher}: {@code scripts/run} or {@code bin/sangdam}).
   */
  static String banner(int port, Optional<String> generatedAdminPassword, String launcher) {
    String reset = "stop the server and run: " + launcher + " reset-password admin";
    String hqAdmin = generatedAdminPassword
        .map(p -> "password=" + p + "  (generated at this first start and shown only now; to set another, " + reset + ")")
        .orElse("password from SANGDAM_ADMIN_PASSWORD or the one generated at the first start; to set another, "
            + reset);
    String base = "http://localhost:" + port;
    return """

        ==================== Sangdam demo ====================
          Customer widget  %1$s/widget/?tenant=demo&center=seoul
          Company page     %1$s/widget/demo.html   (the widget embedded with one script tag)
          Agent console    %1$s/agent/   (tenant=demo, username=%2$s, password=%3$s)
          Admin console    %1$s/admin/   (tenant=demo, username=%4$s, password=%5$s; HQ: username=admin, tenant left empty)
          REST API         %1$s/api/   (its OpenAPI description: %1$s/api/openapi.json)
          HQ admin         username=admin, %6$s
        ======================================================""".formatted(base, AGENT, AGENT_PASSWORD, MANAGER,
        MANAGER_PASSWORD, hqAdmin);
  }
}
