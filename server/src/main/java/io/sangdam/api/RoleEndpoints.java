package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.CustomRole;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.auth.RoleStore;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A tenant's custom roles: a name, the built-in role it sits on (its scope), the permissions it holds in place
 * of that role's, and for a center-based role the centers it sees beyond its user's own. Whoever holds
 * {@code manage.roles} shapes them, never with more than they hold. A change to a role signs out everyone who
 * holds it, as a change of a user's role does, so no console goes on with the permissions it had. Successful
 * changes are audited as every management change is; refusals as {@code role.refused}.
 */
public final class RoleEndpoints implements Endpoints {
  private static final String ROLES = "/api/tenants/{tenant}/roles";
  static final int MAX_NAME = 50;
  private static final int MAX_CENTERS = 100;

  private final Directory directory;
  private final RoleStore roles;
  private final AuditLog audit;
  private final Api.UserSessions sessions;
  private final Clock clock;

  public RoleEndpoints(Directory directory, RoleStore roles, AuditLog audit, Api.UserSessions sessions, Clock clock) {
    this.directory = directory;
    this.roles = roles;
    this.audit = audit;
    this.sessions = sessions;
    this.clock = clock;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", ROLES, true, this::list),
        new Route("POST", ROLES, true, call -> audited(call, this::create)),
        new Route("GET", ROLES + "/{id}", true, this::read),
        new Route("PUT", ROLES + "/{id}", true, call -> audited(call, this::update)),
        new Route("DELETE", ROLES + "/{id}", true, call -> audited(call, this::delete)));
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_ROLES);
    return Scope.tenant(directory, call);
  }

  /** The role of the path, in the tenant; any other id names nothing. */
  private CustomRole role(Call call, Tenant tenant) {
    long id = Scope.id(call, "id", "role");
    return roles.role(tenant.id(), id).orElseThrow(() -> SangdamException.notFound("role " + id));
  }

  private ApiResponse list(Call call) {
    Tenant tenant = tenant(call);
    return ApiResponse.ok(Paging.page(call, roles.roles(tenant.id()).stream().map(this::view).toList()));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(role(call, tenant(call))));
  }

  /** {@code {"name","base","permissions":[codes],"centers"?:[codes]}}. */
  private ApiResponse create(Call call, Tenant tenant) {
    Principal p = call.principal();
    Fields body = call.body();
    String name = name(body);
    Role base = body.oneOf("base", Role.class);
    if (base == Role.HQ_ADMIN) {
      throw Fields.invalid("base", "HQ_ADMIN is not a tenant role");
    }
    Set<Permission> permissions = permissions(body);
    requireFitsBase(base, permissions);
    Set<Long> centers = centers(p, tenant, base, body);
    Access.requireMayGrant(p, base, permissions);
    try {
      return ApiResponse.created(view(roles.insert(tenant.id(), name, base, permissions, centers, clock.instant())));
    } catch (RoleStore.DuplicateName e) {
      throw new SangdamException(ErrorCode.CONFLICT, "role '" + name + "' already exists");
    }
  }

  /** Any of {@code name}, {@code permissions}, {@code centers}; {@code base} only as it is. Holders are signed out. */
  private ApiResponse update(Call call, Tenant tenant) {
    Principal p = call.principal();
    CustomRole role = role(call, tenant);
    Fields body = call.body();
    if (body.has("base") && body.oneOf("base", Role.class) != role.base()) {
      throw Fields.invalid("base", "cannot change: make a new role and move its users");
    }
    // Both the role as it is and as it will be must be within the caller's own permissions.
    Access.requireMayGrant(p, role.base(), role.permissions());
    String name = body.has("name") ? name(body) : role.name();
    Set<Permission> permissions = body.has("permissions") ? permissions(body) : role.permissions();
    requireFitsBase(role.base(), permissions);
    Set<Long> centers = body.has("centers") ? centers(p, tenant, role.base(), body) : role.centerIds();
    Access.requireMayGrant(p, role.base(), permissions);
    CustomRole updated;
    try {
      updated = roles.update(new CustomRole(role.id(), tenant.id(), name, role.base(), permissions, centers),
          clock.instant());
    } catch (RoleStore.DuplicateName e) {
      throw new SangdamException(ErrorCode.CONFLICT, "role '" + name + "' already exists");
    }
    roles.holders(updated).forEach(sessions::signOut);
    return ApiResponse.ok(view(updated));
  }

  /** Refused while a user holds it: they would be left with no permissions, or with their base role's. */
  private ApiResponse delete(Call call, Tenant tenant) {
    Principal p = call.principal();
    CustomRole role = role(call, tenant);
    Access.requireMayGrant(p, role.base(), role.permissions());
    if (!roles.deleteUnheld(role)) {
      throw new SangdamException(ErrorCode.CONFLICT, "role '" + role.name() + "' is held by "
          + roles.holders(role).size() + " user(s): give them another role first");
    }
    return ApiResponse.noContent();
  }

  /**
   * A refused change is on the record with why (under the caller's own tenant when the path's is not theirs to
   * see); a successful one is recorded by {@link ManagementAudit} as every management change is.
   */
  private ApiResponse audited(Call call, BiFunction<Call, Tenant, ApiResponse> change) {
    Principal p = call.principal();
    Tenant tenant = null;
    try {
      tenant = tenant(call);
      return change.apply(call, tenant);
    } catch (SangdamException e) {
      audit.record(new AuditEntry(p.id(), p.user().username(), tenant == null ? p.tenantId() : tenant.id(),
          p.centerId(), "role.refused", call.request().method() + " " + call.request().path(),
          e.code().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), call.request().remoteAddress()));
      throw e;
    }
  }

  private static String name(Fields body) {
    String name = body.string("name", MAX_NAME).strip();
    if (name.isEmpty()) {
      throw Fields.invalid("name", "must not be blank");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw Fields.invalid("name", "must not hold control characters");
    }
    return name;
  }

  /** A tenant-wide permission on a center's or an agent's base would reach past the role's centers: refused. */
  private static void requireFitsBase(Role base, Set<Permission> permissions) {
    List<String> wide = permissions.stream().filter(Permission::tenantWide).filter(x -> base != Role.TENANT_ADMIN)
        .map(Permission::code).sorted().toList();
    if (!wide.isEmpty()) {
      throw Fields.invalid("permissions", "holds " + String.join(", ", wide) + ", which reach the whole tenant: "
          + "only a role on the TENANT_ADMIN base may");
    }
  }

  private static Set<Permission> permissions(Fields body) {
    if (!body.has("permissions")) {
      throw new SangdamException(ErrorCode.INVALID_FIELD, "a role needs at least one permission", "permissions");
    }
    List<String> codes = body.strings("permissions", Permission.values().length * 2, 40);
    if (codes.isEmpty()) {
      throw new SangdamException(ErrorCode.INVALID_FIELD, "a role needs at least one permission", "permissions");
    }
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    for (String code : codes) {
      permissions.add(Permission.byCode(code)
          .orElseThrow(() -> Fields.invalid("permissions", "names unknown permission '" + code + "'")));
    }
    return permissions;
  }

  /** Centers beyond the user's own, for a role on a center manager's level; in the tenant and the caller's scope. */
  private Set<Long> centers(Principal p, Tenant tenant, Role base, Fields body) {
    List<String> codes = body.slugs("centers");
    if (codes.isEmpty()) {
      return Set.of();
    }
    if (base != Role.CENTER_MANAGER) {
      throw Fields.invalid("centers", "are only for a role on the center manager's level");
    }
    if (codes.size() > MAX_CENTERS) {
      throw Fields.invalid("centers", "must be at most " + MAX_CENTERS);
    }
    Set<Long> ids = new HashSet<>();
    for (String code : codes) {
      ids.add(directory.center(tenant.id(), code).filter(c -> Access.sees(p, c))
          .orElseThrow(() -> Fields.invalid("centers", "names unknown center '" + code + "'")).id());
    }
    return ids;
  }

  private Map<String, Object> view(CustomRole r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("name", r.name());
    out.put("base", r.base().name());
    out.put("permissions", r.permissions().stream().sorted().map(Permission::code).toList());
    out.put("centers", r.centerIds().stream().map(id -> directory.center(id).map(Center::code).orElse(null))
        .filter(Objects::nonNull).sorted().toList());
    out.put("holders", roles.holders(r).size());
    return out;
  }

  static Map<String, Object> reference(CustomRole r) {
    return r == null ? null : Map.of("id", r.id(), "name", r.name());
  }
}
