package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.PasswordHasher;
import io.sangdam.auth.Principal;
import io.sangdam.auth.Visitors;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Tenants, centers, queues and users: what an administrator sets up before the first chat. */
final class DirectoryEndpoints {
  private static final int MIN_PASSWORD = 8;

  private final Directory directory;
  private final PasswordHasher passwords;
  private final Visitors visitors;

  DirectoryEndpoints(Directory directory, PasswordHasher passwords, Visitors visitors) {
    this.directory = directory;
    this.passwords = passwords;
    this.visitors = visitors;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", "/api/tenants", true, this::listTenants),
        new Route("POST", "/api/tenants", true, this::createTenant),
        new Route("POST", "/api/tenants/{tenant}/identity-secret", true, this::newIdentitySecret),
        new Route("GET", "/api/tenants/{tenant}/centers", true, this::listCenters),
        new Route("POST", "/api/tenants/{tenant}/centers", true, this::createCenter),
        new Route("GET", "/api/tenants/{tenant}/centers/{center}/queues", true, this::listQueues),
        new Route("POST", "/api/tenants/{tenant}/centers/{center}/queues", true, this::createQueue),
        new Route("GET", "/api/tenants/{tenant}/users", true, this::listUsers),
        new Route("POST", "/api/tenants/{tenant}/users", true, this::createUser));
  }

  // --- tenants

  private ApiResponse listTenants(Call call) {
    Principal p = call.principal();
    Access.requireRole(p, Role.HQ_ADMIN, Role.TENANT_ADMIN);
    return ApiResponse.ok(directory.tenants().stream().filter(t -> Access.sees(p, t)).map(this::tenant).toList());
  }

  private ApiResponse createTenant(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN);
    Fields body = call.body();
    return ApiResponse.created(tenant(directory.createTenant(body.slug("code"), body.string("name", 100))));
  }

  /**
   * A new secret for the tenant's company pages to sign customer identities with, shown only in
   * this answer; the previous one stops working.
   */
  private ApiResponse newIdentitySecret(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN, Role.TENANT_ADMIN);
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(Map.of("secret", visitors.newIdentitySecret(tenant.id()),
        "algorithm", "HMAC-SHA256 of the external id, lowercase hex"));
  }

  private Map<String, Object> tenant(Tenant t) {
    return Map.of("id", t.id(), "code", t.code(), "name", t.name(), "status", t.status());
  }

  // --- centers

  private ApiResponse listCenters(Call call) {
    Principal p = call.principal();
    Access.requireRole(p, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER);
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(directory.centers(tenant.id()).stream().filter(c -> Access.sees(p, c))
        .map(c -> center(tenant, c)).toList());
  }

  private ApiResponse createCenter(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN, Role.TENANT_ADMIN);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    Center center = directory.createCenter(tenant, body.slug("code"), body.string("name", 100),
        body.optString("timezone", 64));
    return ApiResponse.created(center(tenant, center));
  }

  private Map<String, Object> center(Tenant t, Center c) {
    return Map.of("id", c.id(), "tenant", t.code(), "code", c.code(), "name", c.name(), "timezone", c.timezone());
  }

  // --- queues

  private ApiResponse listQueues(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER);
    Center center = Scope.center(directory, call, Scope.tenant(directory, call));
    return ApiResponse.ok(directory.queues(center.id()).stream().map(q -> queue(center, q)).toList());
  }

  private ApiResponse createQueue(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER);
    Center center = Scope.center(directory, call, Scope.tenant(directory, call));
    Fields body = call.body();
    String code = body.slug("code");
    String name = body.string("name", 100);
    RoutingPolicy policy = body.oneOf("policy", RoutingPolicy.class);
    Optional<Queue> overflowTo = body.optString("overflowTo", 65).map(target -> overflowTarget(call, target));
    Queue queue = directory.createQueue(center, new NewQueue(code, name, policy,
        body.optInt("maxChatsPerAgent", 1, 50).orElse(Directory.DEFAULT_MAX_CHATS),
        body.optInt("priority", -100, 100).orElse(0), body.optBool("preferPreviousAgent").orElse(false),
        overflowTo.map(Queue::id).orElse(null), body.optInt("overflowAfterSeconds", 1, 86_400).orElse(null)));
    return ApiResponse.created(queue(center, queue));
  }

  /** {@code "center/queue"}: a queue of any center of the same tenant. */
  private Queue overflowTarget(Call call, String target) {
    String[] parts = target.split("/", -1);
    if (parts.length != 2 || !Fields.SLUG.matcher(parts[0]).matches() || !Fields.SLUG.matcher(parts[1]).matches()) {
      throw Fields.invalid("overflowTo", "must be \"center/queue\"");
    }
    Tenant tenant = Scope.tenant(directory, call);
    return directory.center(tenant.id(), parts[0]).flatMap(c -> directory.queue(c.id(), parts[1]))
        .orElseThrow(() -> Fields.invalid("overflowTo", "names unknown queue '" + target + "'"));
  }

  private Map<String, Object> queue(Center c, Queue q) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", q.id());
    out.put("center", c.code());
    out.put("code", q.code());
    out.put("name", q.name());
    out.put("policy", q.policy().name());
    out.put("maxChatsPerAgent", q.maxChatsPerAgent());
    out.put("priority", q.priority());
    out.put("preferPreviousAgent", q.preferPreviousAgent());
    out.put("overflowTo", q.overflowQueueId() == null ? null : directory.queue(q.overflowQueueId())
        .flatMap(target -> directory.center(target.centerId()).map(tc -> tc.code() + "/" + target.code()))
        .orElse(null));
    out.put("overflowAfterSeconds", q.overflowAfterSeconds());
    return out;
  }

  // --- users

  private ApiResponse listUsers(Call call) {
    Principal p = call.principal();
    Access.requireRole(p, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER);
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(directory.users(tenant.id()).stream()
        .filter(u -> p.role() != Role.CENTER_MANAGER || p.centerId().equals(u.centerId()))
        .map(u -> user(tenant, u)).toList());
  }

  private ApiResponse createUser(Call call) {
    Principal p = call.principal();
    Access.requireRole(p, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    String username = body.slug("username");
    String password = body.string("password", 200);
    if (password.length() < MIN_PASSWORD) {
      throw Fields.invalid("password", "must have at least " + MIN_PASSWORD + " characters");
    }
    String name = body.string("name", 100);
    Role role = body.oneOf("role", Role.class);
    if (role == Role.HQ_ADMIN) {
      throw Fields.invalid("role", "HQ_ADMIN is not a tenant role");
    }
    Access.requireMayGrant(p, role);
    Optional<String> centerCode = body.optSlug("center");
    Center center = null;
    if (role == Role.AGENT || role == Role.CENTER_MANAGER) {
      String code = centerCode.orElseThrow(() -> Fields.missing("center"));
      center = directory.center(tenant.id(), code).filter(c -> Access.sees(p, c))
          .orElseThrow(() -> SangdamException.notFound("center '" + code + "'"));
    } else if (centerCode.isPresent()) {
      throw Fields.invalid("center", "is only for agents and center managers");
    }
    Set<Long> queueIds = new HashSet<>();
    for (String code : body.slugs("queues")) {
      if (center == null) {
        throw Fields.invalid("queues", "are only for agents and center managers");
      }
      queueIds.add(directory.queue(center.id(), code)
          .orElseThrow(() -> Fields.invalid("queues", "names unknown queue '" + code + "'")).id());
    }
    Integer maxChats = body.optInt("maxChats", 1, 50).orElse(null);
    User user = directory.createUser(new NewUser(tenant.id(), center == null ? null : center.id(), username, name,
        role, passwords.hash(password), maxChats, queueIds));
    return ApiResponse.created(user(tenant, user));
  }

  private Map<String, Object> user(Tenant t, User u) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", u.id());
    out.put("tenant", t.code());
    out.put("center", u.centerId() == null ? null : directory.center(u.centerId()).map(Center::code).orElse(null));
    out.put("username", u.username());
    out.put("name", u.name());
    out.put("role", u.role().name());
    out.put("queues", u.queueIds().stream().map(id -> directory.queue(id).map(Queue::code).orElse(null)).sorted()
        .toList());
    out.put("maxChats", u.maxChats());
    out.put("enabled", u.enabled());
    return out;
  }
}
