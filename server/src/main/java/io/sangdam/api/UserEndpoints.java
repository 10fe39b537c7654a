package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Access;
import io.sangdam.auth.CustomRole;
import io.sangdam.auth.Permission;
import io.sangdam.auth.HashingPool;
import io.sangdam.auth.PasswordChanges;
import io.sangdam.auth.Principal;
import io.sangdam.auth.RoleStore;
import io.sangdam.auth.SecurityPolicy;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's users: HQ and tenant admins manage all of them, a center manager the agents of their
 * center. A user may hold one of the tenant's custom roles ({@code customRole}, by id); their {@code role} is
 * then its base. Disabling a user, changing their role or center, or resetting their password signs
 * them out everywhere at once; other changes (queues, capacity, name) reach their open consoles.
 * A user created without a password gets a generated one, answered once, to be changed at the first
 * sign-in; so must a password an administrator reset (given or generated). A password given either way follows
 * the tenant's password policy ({@link SecurityPolicy}), as the user's own change does.
 */
public final class UserEndpoints implements Endpoints {
  private static final String USERS = "/api/tenants/{tenant}/users";

  private final Directory directory;
  private final HashingPool passwords;
  private final Api.UserSessions sessions;
  private final RoleStore roles;
  private final PasswordChanges changes;

  public UserEndpoints(Directory directory, HashingPool passwords, Api.UserSessions sessions, RoleStore roles,
      PasswordChanges changes) {
    this.directory = directory;
    this.passwords = passwords;
    this.sessions = sessions;
    this.roles = roles;
    this.changes = changes;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", USERS, true, this::list),
        new Route("POST", USERS, true, this::create),
        new Route("GET", USERS + "/{username}", true, this::read),
        new Route("PUT", USERS + "/{username}", true, this::update),
        new Route("POST", USERS + "/{username}/password", true, this::resetPassword));
  }

  private static Tenant tenant(Directory directory, Call call) {
    Access.require(call.principal(), Permission.MANAGE_USERS);
    return Scope.tenant(directory, call);
  }

  /** A center manager sees the users of their center only. */
  private static boolean manages(Principal p, User u) {
    return p.role() != Role.CENTER_MANAGER || Objects.equals(p.centerId(), u.centerId());
  }

  private User user(Call call, Tenant tenant) {
    String username = call.param("username");
    return directory.user(tenant.id(), username).filter(u -> manages(call.principal(), u))
        .orElseThrow(() -> SangdamException.notFound("user '" + username + "'"));
  }

  private ApiResponse list(Call call) {
    Principal p = call.principal();
    Tenant tenant = tenant(directory, call);
    Map<Long, CustomRole> custom = roles.rolesOfUsers(tenant.id());
    return ApiResponse.ok(Paging.page(call, directory.users(tenant.id()).stream().filter(u -> manages(p, u))
        .map(u -> view(tenant, u, custom.get(u.id()))).toList()));
  }

  private ApiResponse read(Call call) {
    Tenant tenant = tenant(directory, call);
    User u = user(call, tenant);
    return ApiResponse.ok(view(tenant, u, roles.roleOf(u.id()).orElse(null)));
  }

  private ApiResponse create(Call call) {
    Principal p = call.principal();
    Tenant tenant = tenant(directory, call);
    Fields body = call.body();
    String username = body.slug("username");
    boolean generated = !body.has("password");
    String password = generated ? changes.generate() : password(body, tenant, username);
    boolean changeAtSignIn = generated || body.optBool("changeAtSignIn").orElse(false);
    String name = body.string("name", 100);
    CustomRole custom = body.has("customRole") ? customRole(p, tenant, body) : null;
    Role role = custom == null ? role(p, body.oneOf("role", Role.class)) : custom.base();
    Center center = center(p, tenant, role, body.optSlug("center"));
    Set<Long> queueIds = queues(center, body.slugs("queues"));
    Integer maxChats = body.optInt("maxChats", 1, 50).orElse(null);
    User user = directory.createUser(new NewUser(tenant.id(), center == null ? null : center.id(), username, name,
        role, passwords.hash(password), maxChats, queueIds));
    if (custom != null) {
      // Right after the insert, before the user has any token: their first sign-in already reads the role.
      roles.assign(user.id(), custom, role);
    }
    if (changeAtSignIn) {
      changes.generatedFor(user.id());
    }
    Map<String, Object> answer = view(tenant, user, custom);
    if (generated) {
      answer.put("password", password);
    }
    return ApiResponse.created(answer);
  }

  /**
   * Any of {@code name}, {@code role}, {@code center}, {@code queues} (replaces them; cleared when
   * the center changes without them), {@code maxChats} (null: the queue's default), {@code enabled}.
   */
  private ApiResponse update(Call call) {
    Principal p = call.principal();
    Tenant tenant = tenant(directory, call);
    User u = user(call, tenant);
    CustomRole held = requireMayManage(p, u);
    Fields body = call.body();
    // customRole: an id gives that role, null takes it away (the user keeps its base, or the role given), absent
    // keeps it.
    boolean customChanges = body.node().has("customRole");
    CustomRole custom = !customChanges ? held : body.has("customRole") ? customRole(p, tenant, body) : null;
    if (custom != null && body.has("role") && body.oneOf("role", Role.class) != custom.base()) {
      throw Fields.invalid("role", "must be the custom role's base " + custom.base() + ", or left out");
    }
    Role role = custom != null ? custom.base()
        : body.has("role") ? role(p, body.oneOf("role", Role.class)) : u.role();
    Optional<String> centerCode = body.has("center") ? body.optSlug("center")
        : Optional.ofNullable(u.centerId()).flatMap(directory::center).map(Center::code)
            .filter(c -> role == Role.AGENT || role == Role.CENTER_MANAGER);
    Center center = center(p, tenant, role, centerCode);
    Long centerId = center == null ? null : center.id();
    Set<Long> queueIds = body.has("queues") ? queues(center, body.slugs("queues"))
        : Objects.equals(centerId, u.centerId()) ? u.queueIds() : Set.of();
    JsonNode maxChatsNode = body.node().get("maxChats");
    Integer maxChats = maxChatsNode == null ? u.maxChats()
        : maxChatsNode.isNull() ? null : body.optInt("maxChats", 1, 50).orElseThrow();
    boolean enabled = body.optBool("enabled").orElse(u.enabled());
    if (!enabled && u.id() == p.id()) {
      throw new SangdamException(ErrorCode.CONFLICT, "you cannot disable your own account");
    }
    boolean customChanged = !Objects.equals(custom == null ? null : custom.id(), held == null ? null : held.id());
    if (customChanged) {
      // First, and with the built-in role in the same statement: a user is never left with a base role's
      // permissions that the custom role was to withhold.
      roles.assign(u.id(), custom, role);
    }
    User updated = directory.updateUser(u, centerId, body.optString("name", 100).orElse(u.name()), role, maxChats,
        queueIds, enabled);
    if (!enabled || role != u.role() || customChanged || !Objects.equals(centerId, u.centerId())) {
      sessions.signOut(u.id());
    } else {
      sessions.changed(updated);
    }
    return ApiResponse.ok(view(tenant, updated, custom));
  }

  /**
   * {@code {"password"?}}: the user's new password, to be changed at their next sign-in; every session of
   * theirs ends. Without one, a password is generated and answered once: {@code {"password"}}.
   */
  private ApiResponse resetPassword(Call call) {
    Principal p = call.principal();
    Tenant tenant = tenant(directory, call);
    User u = user(call, tenant);
    requireMayManage(p, u);
    Fields body = call.body();
    boolean generated = !body.has("password");
    String password = generated ? changes.generate() : password(body, tenant, u.username());
    changes.setByAdministrator(u, passwords.hash(password));
    sessions.signOut(u.id());
    return generated ? ApiResponse.ok(Map.of("password", password)) : ApiResponse.noContent();
  }

  /** A password the administrator typed, under the tenant's policy as the user's own choice will be. */
  private String password(Fields body, Tenant tenant, String username) {
    String password = body.string("password", SecurityPolicy.MAX_LENGTH);
    changes.requireAllowed(tenant.id(), username, password, "password");
    return password;
  }

  private static Role role(Principal p, Role role) {
    if (role == Role.HQ_ADMIN) {
      throw Fields.invalid("role", "HQ_ADMIN is not a tenant role");
    }
    Access.requireMayGrant(p, role);
    return role;
  }

  /** Agents and center managers belong to a center of the tenant in the caller's scope; admins to none. */
  private Center center(Principal p, Tenant tenant, Role role, Optional<String> centerCode) {
    if (role == Role.AGENT || role == Role.CENTER_MANAGER) {
      String code = centerCode.orElseThrow(() -> Fields.missing("center"));
      return directory.center(tenant.id(), code).filter(c -> Access.sees(p, c))
          .orElseThrow(() -> SangdamException.notFound("center '" + code + "'"));
    }
    if (centerCode.isPresent()) {
      throw Fields.invalid("center", "is only for agents and center managers");
    }
    return null;
  }

  private Set<Long> queues(Center center, List<String> codes) {
    Set<Long> queueIds = new HashSet<>();
    for (String code : codes) {
      if (center == null) {
        throw Fields.invalid("queues", "are only for agents and center managers");
      }
      queueIds.add(directory.queue(center.id(), code)
          .orElseThrow(() -> Fields.invalid("queues", "names unknown queue '" + code + "'")).id());
    }
    return queueIds;
  }

  /** Whether {@code p} may change {@code u}: as if giving them their role now; returns their custom role. */
  private CustomRole requireMayManage(Principal p, User u) {
    CustomRole held = roles.roleOf(u.id()).orElse(null);
    if (held == null) {
      Access.requireMayGrant(p, u.role());
    } else {
      Access.requireMayGrant(p, held.base(), held.permissions());
    }
    return held;
  }

  /** The tenant's custom role the body names by id, which the caller may give; with {@code role} only its base. */
  private CustomRole customRole(Principal p, Tenant tenant, Fields body) {
    long id = body.id("customRole");
    CustomRole custom = roles.role(tenant.id(), id)
        .orElseThrow(() -> Fields.invalid("customRole", "names no role of this tenant"));
    if (body.has("role") && body.oneOf("role", Role.class) != custom.base()) {
      throw Fields.invalid("role", "must be the custom role's base " + custom.base() + ", or left out");
    }
    Access.requireMayGrant(p, custom.base(), custom.permissions());
    return custom;
  }

  private Map<String, Object> view(Tenant t, User u, CustomRole custom) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", u.id());
    out.put("tenant", t.code());
    out.put("center", u.centerId() == null ? null : directory.center(u.centerId()).map(Center::code).orElse(null));
    out.put("username", u.username());
    out.put("name", u.name());
    out.put("role", u.role().name());
    out.put("customRole", RoleEndpoints.reference(custom));
    out.put("queues", u.queueIds().stream().map(id -> directory.queue(id).map(Queue::code).orElse(null)).sorted()
        .toList());
    out.put("maxChats", u.maxChats());
    out.put("enabled", u.enabled());
    return out;
  }
}
