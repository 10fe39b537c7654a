package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.AddressRanges;
import io.sangdam.auth.Principal;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.auth.SecurityPolicy;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The password and session policy: HQ's ({@code /api/security-policy}, HQ admins; the default of every
 * tenant without its own) and a tenant's ({@code /api/tenants/{tenant}/security-policy}, HQ and that
 * tenant's admins). A PUT changes the fields it names and keeps the others; it is refused when its
 * address ranges would shut out the caller's own console. HQ's changes are audited here as
 * {@code security.policy}; a tenant's, as every management change is.
 */
public final class SecurityPolicyEndpoints implements Endpoints {
  private static final Set<String> FIELDS = Set.of("minLength", "charClasses", "expiryDays", "reuseLimit",
      "tokenMinutes", "idleMinutes", "adminRanges", "agentRanges");

  private final Directory directory;
  private final SecurityPolicies policies;
  private final AuditLog audit;
  private final Json json;

  public SecurityPolicyEndpoints(Directory directory, SecurityPolicies policies, AuditLog audit, Json json) {
    this.directory = directory;
    this.policies = policies;
    this.audit = audit;
    this.json = json;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/security-policy", true, this::readHq),
        new Route("PUT", "/api/security-policy", true, this::updateHq),
        new Route("GET", "/api/tenants/{tenant}/security-policy", true, this::readTenant),
        new Route("PUT", "/api/tenants/{tenant}/security-policy", true, this::updateTenant));
  }

  private ApiResponse readHq(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN);
    return ApiResponse.ok(view(policies.of(null), policies.own(null).isPresent()));
  }

  private ApiResponse updateHq(Call call) {
    Principal p = call.principal();
    Access.requireRole(p, Role.HQ_ADMIN);
    SecurityPolicy before = policies.of(null);
    SecurityPolicy changed = changed(before, call.body());
    requireNotShutOut(p, true, changed, call.request().remoteAddress());
    policies.save(null, changed);
    Map<String, Object> after = view(changed, true);
    audit.record(new AuditEntry(p.id(), p.user().username(), null, null, "security.policy", "HQ",
        new String(json.write(Map.of("before", view(before, true), "after", after)), StandardCharsets.UTF_8),
        call.request().remoteAddress()));
    return ApiResponse.ok(after);
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private ApiResponse readTenant(Call call) {
    Tenant tenant = tenant(call);
    return ApiResponse.ok(view(policies.of(tenant.id()), policies.own(tenant.id()).isPresent()));
  }

  private ApiResponse updateTenant(Call call) {
    Principal p = call.principal();
    Tenant tenant = tenant(call);
    SecurityPolicy changed = changed(policies.of(tenant.id()), call.body());
    requireNotShutOut(p, Objects.equals(p.tenantId(), tenant.id()), changed, call.request().remoteAddress());
    policies.save(tenant.id(), changed);
    return ApiResponse.ok(view(changed, true));
  }

  /** {@code current} with what the body names changed; an unknown name is refused, not ignored. */
  private static SecurityPolicy changed(SecurityPolicy current, Fields body) {
    body.node().fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw Fields.invalid(name, "is no setting of the security policy; they are " + FIELDS);
      }
    });
    Integer tokenMinutes = current.tokenMinutes();
    if (body.has("tokenMinutes")) {
      tokenMinutes = body.node().get("tokenMinutes").isNull() ? null
          : body.optInt("tokenMinutes", Integer.MIN_VALUE, Integer.MAX_VALUE).orElseThrow();
    }
    return new SecurityPolicy(
        body.optInt("minLength", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(current.minLength()),
        body.optInt("charClasses", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(current.charClasses()),
        body.optInt("expiryDays", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(current.expiryDays()),
        body.optInt("reuseLimit", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(current.reuseLimit()),
        tokenMinutes,
        body.optInt("idleMinutes", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(current.idleMinutes()),
        ranges(body, "adminRanges", current.adminRanges()),
        ranges(body, "agentRanges", current.agentRanges()));
  }

  private static AddressRanges ranges(Fields body, String field, AddressRanges current) {
    return body.has(field) ? AddressRanges.parse(body.strings(field, AddressRanges.MAX_RANGES, 50), field) : current;
  }

  /** A caller governed by the changed policy must still be let in from where they are. */
  private static void requireNotShutOut(Principal p, boolean governsCaller, SecurityPolicy changed, String address) {
    if (governsCaller && !SecurityPolicies.rangesFor(changed, p.role()).contains(address)) {
      throw new SangdamException(ErrorCode.CONFLICT, "these address ranges would shut you out: your address "
          + address + " is in none of them", "adminRanges");
    }
  }

  private static Map<String, Object> view(SecurityPolicy p, boolean own) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("own", own);
    out.put("minLength", p.minLength());
    out.put("charClasses", p.charClasses());
    out.put("expiryDays", p.expiryDays());
    out.put("reuseLimit", p.reuseLimit());
    out.put("tokenMinutes", p.tokenMinutes());
    out.put("idleMinutes", p.idleMinutes());
    out.put("adminRanges", p.adminRanges().texts());
    out.put("agentRanges", p.agentRanges().texts());
    return out;
  }
}
