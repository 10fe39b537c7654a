package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.canned.CannedResponse;
import io.sangdam.canned.CannedResponses;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Canned responses (상용구) in scope: tenant-wide ones are managed by HQ and tenant admins, a
 * center's by its managers too, and personal ones by their owner. Everyone lists what they may use
 * or manage.
 */
public final class CannedEndpoints implements Endpoints {
  private static final String CANNED = "/api/tenants/{tenant}/canned";

  private final Directory directory;
  private final CannedResponses canned;

  public CannedEndpoints(Directory directory, CannedResponses canned) {
    this.directory = directory;
    this.canned = canned;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", CANNED, true, this::list),
        new Route("POST", CANNED, true, this::create),
        new Route("GET", CANNED + "/{id}", true, this::read),
        new Route("PUT", CANNED + "/{id}", true, this::update));
  }

  private ApiResponse list(Call call) {
    Principal p = call.principal();
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(Paging.page(call, canned.ofTenant(tenant.id()).stream().filter(c -> maySee(p, c))
        .map(CannedEndpoints::view).toList()));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(visible(call, Scope.tenant(directory, call))));
  }

  /** A response of the tenant the caller may see; any other is not found. */
  private CannedResponse visible(Call call, Tenant tenant) {
    long id = Scope.id(call, "id", "canned response");
    return canned.find(tenant.id(), id).filter(x -> maySee(call.principal(), x))
        .orElseThrow(() -> SangdamException.notFound("canned response " + id));
  }

  /** {@code {"title","shortcut","body","center"?,"personal"?}}. */
  private ApiResponse create(Call call) {
    Principal p = call.principal();
    Tenant tenant = Scope.tenant(directory, call);
    Fields body = call.body();
    String title = body.string("title", 100);
    String shortcut = body.string("shortcut", 33);
    String text = body.string("body", Fields.MAX_TEXT);
    boolean personal = body.optBool("personal").orElse(false);
    Optional<String> centerCode = body.optSlug("center");
    Long centerId = null;
    Long ownerId = null;
    if (personal) {
      if (centerCode.isPresent()) {
        throw Fields.invalid("center", "is not for a personal response");
      }
      ownerId = p.id();
    } else if (centerCode.isPresent()) {
      Access.require(p, Permission.MANAGE_CENTERS);
      Center center = Access.requireCenter(p, directory.center(tenant.id(), centerCode.get()).orElse(null),
          centerCode.get());
      centerId = center.id();
    } else {
      Access.require(p, Permission.MANAGE_SETTINGS);
    }
    return ApiResponse.created(view(canned.create(tenant.id(), centerId, ownerId, title, shortcut, text)));
  }

  /** {@code {"title"?,"body"?,"enabled"?}}, by whoever manages it. */
  private ApiResponse update(Call call) {
    Principal p = call.principal();
    CannedResponse c = visible(call, Scope.tenant(directory, call));
    if (!mayManage(p, c)) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "role " + p.role() + " may not change this response");
    }
    Fields body = call.body();
    return ApiResponse.ok(view(canned.update(c, body.optString("title", 100), body.optString("body", Fields.MAX_TEXT),
        body.optBool("enabled"))));
  }

  /**
   * Personal ones only by their owner; shared ones by admins of the tenant, and by managers and
   * agents when they are the tenant's or their own center's.
   */
  private static boolean maySee(Principal p, CannedResponse c) {
    if (c.ownerId() != null) {
      return c.ownerId() == p.id();
    }
    return p.role() == Role.HQ_ADMIN || p.role() == Role.TENANT_ADMIN || c.centerId() == null
        || c.centerId().equals(p.centerId());
  }

  private static boolean mayManage(Principal p, CannedResponse c) {
    if (c.ownerId() != null) {
      return c.ownerId() == p.id();
    }
    return c.centerId() == null ? p.may(Permission.MANAGE_SETTINGS)
        : p.may(Permission.MANAGE_CENTERS) && Access.sees(p, c.tenantId(), c.centerId());
  }

  static Map<String, Object> view(CannedResponse c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("level", c.level());
    out.put("title", c.title());
    out.put("shortcut", "/" + c.shortcut());
    out.put("body", c.body());
    out.put("enabled", c.enabled());
    return out;
  }
}
