package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.auth.Visitors;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Tenants (계열사) and their centers: HQ creates and disables tenants; HQ and tenant admins
 * manage centers; a center manager reads their own center. Disabling a tenant signs its users out.
 */
public final class TenantEndpoints implements Endpoints {
  private static final String TENANT = "/api/tenants/{tenant}";
  private static final String CENTER = TENANT + "/centers/{center}";

  private final Directory directory;
  private final Visitors visitors;
  private final LongConsumer signOut;

  public TenantEndpoints(Directory directory, Visitors visitors, LongConsumer signOut) {
    this.directory = directory;
    this.visitors = visitors;
    this.signOut = signOut;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/tenants", true, this::listTenants),
        new Route("POST", "/api/tenants", true, this::createTenant),
        new Route("GET", TENANT, true, this::readTenant),
        new Route("PUT", TENANT, true, this::updateTenant),
        new Route("POST", TENANT + "/identity-secret", true, this::newIdentitySecret),
        new Route("GET", TENANT + "/centers", true, this::listCenters),
        new Route("POST", TENANT + "/centers", true, this::createCenter),
        new Route("GET", CENTER, true, this::readCenter),
        new Route("PUT", CENTER, true, this::updateCenter));
  }

  // --- tenants

  private ApiResponse listTenants(Call call) {
    Principal p = call.principal();
    Access.requireTenantWide(p);
    return ApiResponse.ok(Paging.page(call, directory.tenants().stream().filter(t -> Access.sees(p, t))
        .map(TenantEndpoints::tenant).toList()));
  }

  private ApiResponse createTenant(Call call) {
    Access.require(call.principal(), Permission.TENANTS_MANAGE);
    Fields body = call.body();
    return ApiResponse.created(tenant(directory.createTenant(body.slug("code"), body.string("name", 100))));
  }

  private ApiResponse readTenant(Call call) {
    Access.requireTenantWide(call.principal());
    return ApiResponse.ok(tenant(Scope.tenant(directory, call)));
  }

  /** {@code {"name"?,"enabled"?}}: a tenant admin may rename their tenant; only HQ disables one. */
  private ApiResponse updateTenant(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    Optional<Boolean> enabled = body.optBool("enabled");
    if (enabled.isPresent() && !p.may(Permission.TENANTS_MANAGE)) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "only HQ enables or disables a tenant");
    }
    Tenant updated = directory.updateTenant(tenant, body.optString("name", 100), enabled);
    if (enabled.equals(Optional.of(false))) {
      directory.users(tenant.id()).stream().map(User::id).forEach(signOut::accept);
    }
    return ApiResponse.ok(tenant(updated));
  }

  /**
   * A new secret for the tenant's company pages to sign customer identities with, shown only in
   * this answer; the previous one stops working.
   */
  private ApiResponse newIdentitySecret(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(Map.of("secret", visitors.newIdentitySecret(tenant.id()),
        "algorithm", "HMAC-SHA256 of the external id, lowercase hex"));
  }

  private static Map<String, Object> tenant(Tenant t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", t.id());
    out.put("code", t.code());
    out.put("name", t.name());
    out.put("status", t.status());
    out.put("enabled", t.status().equals("ACTIVE"));
    return out;
  }

  // --- centers

  private ApiResponse listCenters(Call call) {
    Principal p = call.principal();
    Access.requireAboveAgent(p);
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(Paging.page(call, directory.centers(tenant.id()).stream().filter(c -> Access.sees(p, c))
        .map(c -> center(tenant, c)).toList()));
  }

  private ApiResponse createCenter(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    Center center = directory.createCenter(tenant, body.slug("code"), body.string("name", 100),
        body.optString("timezone", 64));
    return ApiResponse.created(center(tenant, center));
  }

  private ApiResponse readCenter(Call call) {
    Access.requireAboveAgent(call.principal());
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(center(tenant, Scope.center(directory, call, tenant)));
  }

  /** {@code {"name"?,"timezone"?,"enabled"?}}; hours and settings have their own endpoints. */
  private ApiResponse updateCenter(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    Center center = Scope.center(directory, call, tenant);
    Fields body = call.body();
    return ApiResponse.ok(center(tenant, directory.updateCenter(center, body.optString("name", 100),
        body.optString("timezone", 64), body.optBool("enabled"))));
  }

  private static Map<String, Object> center(Tenant t, Center c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("tenant", t.code());
    out.put("code", c.code());
    out.put("name", c.name());
    out.put("timezone", c.timezone());
    out.put("enabled", c.enabled());
    return out;
  }
}
