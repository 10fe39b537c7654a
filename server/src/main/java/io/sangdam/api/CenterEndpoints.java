package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.OfflineInquiry;
import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A center's business hours, its timeouts, and the inquiries left while it was closed. */
public final class CenterEndpoints implements Endpoints {
  private static final String CENTER = "/api/tenants/{tenant}/centers/{center}";

  private final Directory directory;
  private final ConversationRecords records;

  public CenterEndpoints(Directory directory, ConversationRecords records) {
    this.directory = directory;
    this.records = records;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", CENTER + "/hours", true, this::hours),
        new Route("PUT", CENTER + "/hours", true, this::setHours),
        new Route("DELETE", CENTER + "/hours", true, this::clearHours),
        new Route("GET", CENTER + "/settings", true, this::settings),
        new Route("PUT", CENTER + "/settings", true, this::setSettings),
        new Route("GET", CENTER + "/inquiries", true, this::inquiries),
        new Route("POST", CENTER + "/inquiries/{inquiry}/handled", true, this::handled),
        new Route("PUT", "/api/tenants/{tenant}/customers/{customer}/priority", true, this::customerPriority));
  }

  /** A center in the caller's scope, for a manager or wider role. */
  private Center center(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.center(directory, call, Scope.tenant(directory, call));
  }

  private ApiResponse hours(Call call) {
    Center c = center(call);
    return c.hours() == null ? ApiResponse.ok(Map.of("alwaysOpen", true)) : ApiResponse.ok(c.hours().toJson());
  }

  private ApiResponse setHours(Call call) {
    Center c = center(call);
    BusinessHours hours = BusinessHours.parse(call.body().node());
    return ApiResponse.ok(directory.setHours(c, hours).hours().toJson());
  }

  private ApiResponse clearHours(Call call) {
    directory.setHours(center(call), null);
    return ApiResponse.noContent();
  }

  private ApiResponse settings(Call call) {
    return ApiResponse.ok(settings(center(call).settings()));
  }

  /** Each timeout in seconds, or null for the configured default; the service level target (default 20 s). */
  private ApiResponse setSettings(Call call) {
    Center c = center(call);
    Fields body = call.body();
    CenterSettings s = new CenterSettings(
        body.optInt("agentGraceSeconds", 0, 86_400).orElse(null),
        body.optInt("customerGraceSeconds", 0, 86_400).orElse(null),
        body.optInt("idleWarningSeconds", 1, 86_400).orElse(null),
        body.optInt("idleCloseSeconds", 1, 86_400).orElse(null),
        body.optBool("requireCategory").orElse(false),
        body.optInt("serviceLevelSeconds", 1, 3_600).orElse(CenterSettings.DEFAULT_SERVICE_LEVEL_SECONDS));
    return ApiResponse.ok(settings(directory.setSettings(c, s).settings()));
  }

  private static Map<String, Object> settings(CenterSettings s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agentGraceSeconds", s.agentGraceSeconds());
    out.put("customerGraceSeconds", s.customerGraceSeconds());
    out.put("idleWarningSeconds", s.idleWarningSeconds());
    out.put("idleCloseSeconds", s.idleCloseSeconds());
    out.put("requireCategory", s.requireCategory());
    out.put("serviceLevelSeconds", s.serviceLevelSeconds());
    return out;
  }

  private ApiResponse inquiries(Call call) {
    Center c = center(call);
    return ApiResponse.ok(records.pendingInquiries(c.id()).stream().map(this::inquiry).toList());
  }

  private ApiResponse handled(Call call) {
    Center c = center(call);
    records.markInquiryHandled(c.id(), Scope.id(call, "inquiry", "inquiry"), call.principal().id());
    return ApiResponse.noContent();
  }

  /** A customer's own priority (-100 to 100), added to the queue's from their next conversation on. */
  private ApiResponse customerPriority(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    Tenant tenant = Scope.tenant(directory, call);
    int priority = call.body().optInt("priority", -100, 100).orElseThrow(() -> Fields.missing("priority"));
    records.setCustomerPriority(tenant.id(), Scope.id(call, "customer", "customer"), priority);
    return ApiResponse.ok(Map.of("customer", Long.parseLong(call.param("customer")), "priority", priority));
  }

  private Map<String, Object> inquiry(OfflineInquiry i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", i.id());
    out.put("queue", directory.queue(i.queueId()).map(q -> q.code()).orElse(null));
    out.put("customer", Map.of("id", i.customerId(), "name", i.customerName()));
    out.put("contact", i.contact());
    out.put("text", i.text());
    out.put("createdAt", i.createdAt().toString());
    return out;
  }
}
