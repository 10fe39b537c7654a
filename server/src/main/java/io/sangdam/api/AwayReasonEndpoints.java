package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.AwayReason;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tenant's away reasons (이석 사유): listed to everyone of the tenant in scope, managed by HQ and tenant admins. */
public final class AwayReasonEndpoints implements Endpoints {
  private static final String REASONS = "/api/tenants/{tenant}/away-reasons";

  private final Directory directory;
  private final AwayReasons reasons;

  public AwayReasonEndpoints(Directory directory, AwayReasons reasons) {
    this.directory = directory;
    this.reasons = reasons;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", REASONS, true, this::list),
        new Route("POST", REASONS, true, this::create),
        new Route("PUT", REASONS + "/{code}", true, this::update));
  }

  private ApiResponse list(Call call) {
    return ApiResponse.ok(reasons.all(Scope.tenant(directory, call).id()).stream().map(AwayReasonEndpoints::view)
        .toList());
  }

  /** {@code {"code","name","nameEn"?}}: a new reason, after the others. */
  private ApiResponse create(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    return ApiResponse.created(view(reasons.create(tenant, body.string("code", 32),
        body.string("name", AwayReason.NAME_LENGTH), body.optString("nameEn", AwayReason.NAME_LENGTH))));
  }

  /** {@code {"name"?,"nameEn"?,"enabled"?}}: rename, or disable (never delete); a blank {@code nameEn} removes it. */
  private ApiResponse update(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    Tenant tenant = Scope.tenant(directory, call);
    String code = call.param("code");
    AwayReason reason = reasons.reason(tenant.id(), code)
        .orElseThrow(() -> SangdamException.notFound("away reason '" + code + "'"));
    Fields body = call.body();
    return ApiResponse.ok(view(reasons.update(reason, body.optString("name", AwayReason.NAME_LENGTH),
        body.optString("nameEn", AwayReason.NAME_LENGTH), body.optBool("enabled"))));
  }

  static Map<String, Object> view(AwayReason r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", r.code());
    out.put("name", r.name());
    out.put("nameEn", r.nameEn());
    out.put("enabled", r.enabled());
    return out;
  }
}
