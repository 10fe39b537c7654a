package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.retention.CustomerErasure;
import io.sangdam.retention.Erased;
import io.sangdam.retention.LegalHold;
import io.sangdam.retention.Requester;
import io.sangdam.retention.Retention;
import io.sangdam.retention.RetentionPolicy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's retention of personal data ({@code /api/tenants/{tenant}/retention}), its legal holds
 * ({@code .../legal-holds}) and a customer's erasure on request ({@code .../customers/{customer}/erasure}): for HQ
 * and the tenant's admins only; another tenant's is not found.
 */
public final class RetentionEndpoints implements Endpoints {
  private static final String SETTING = "/api/tenants/{tenant}/retention";
  private static final String HOLDS = "/api/tenants/{tenant}/legal-holds";
  private static final Set<String> SETTING_FIELDS = Set.of("days", "recordDays", "recordQueues", "action");
  private static final Set<String> HOLD_FIELDS = Set.of("customer", "conversation", "reason");
  private static final int MAX_REASON = 500;
  private static final int MAX_RECORD_QUEUES = 200;
  private static final int MAX_HOLDS = 500;

  private final Directory directory;
  private final Retention retention;

  public RetentionEndpoints(Directory directory, Retention retention) {
    this.directory = directory;
    this.retention = retention;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", SETTING, true, this::read),
        new Route("PUT", SETTING, true, this::replace),
        new Route("DELETE", SETTING, true, this::remove),
        new Route("GET", HOLDS, true, this::holds),
        new Route("POST", HOLDS, true, this::place),
        new Route("POST", HOLDS + "/{hold}/release", true, this::release),
        new Route("POST", "/api/tenants/{tenant}/customers/{customer}/erasure", true, this::erase));
  }

  /** The path's tenant, for holders of {@code retention.manage} (HQ and its own admins); others are refused. */
  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.RETENTION_MANAGE);
    return Scope.tenant(directory, call);
  }

  private static Requester requester(Call call) {
    return new Requester(call.principal().id(), call.principal().user().username(),
        call.request().remoteAddress());
  }

  private ApiResponse read(Call call) {
    Tenant tenant = tenant(call);
    return ApiResponse.ok(view(tenant, retention.policy(tenant.id()).orElse(null)));
  }

  /**
   * {@code {"days", "recordDays"?, "recordQueues"?: ["center/queue"], "action"?: "DELETE"|"ANONYMISE"}}: replaces
   * the tenant's retention, checked whole first. A period below the operator's legal minimum is refused naming its
   * field; {@code recordDays} must be at least {@code days} and is required with record queues.
   */
  private ApiResponse replace(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    onlyKnown(body, SETTING_FIELDS);
    int days = body.optInt("days", 1, RetentionPolicy.MAX_DAYS).orElseThrow(() -> Fields.missing("days"));
    Integer recordDays = body.optInt("recordDays", 1, RetentionPolicy.MAX_DAYS).orElse(null);
    Set<Long> recordQueues = recordQueues(tenant, body);
    if (recordDays != null && recordDays < days) {
      throw Fields.invalid("recordDays", "must be at least days (" + days + "): it is the longer period");
    }
    if (recordDays == null && !recordQueues.isEmpty()) {
      throw Fields.missing("recordDays");
    }
    RetentionPolicy.Action action = body.has("action") ? body.oneOf("action", RetentionPolicy.Action.class)
        : RetentionPolicy.Action.ANONYMISE;
    RetentionPolicy saved = retention.save(requester(call), tenant.id(),
        new RetentionPolicy(days, recordDays, recordQueues, action));
    return ApiResponse.ok(view(tenant, saved));
  }

  private Set<Long> recordQueues(Tenant tenant, Fields body) {
    List<String> names = body.strings("recordQueues", MAX_RECORD_QUEUES, 65);
    Set<Long> ids = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String[] parts = names.get(i).toLowerCase(Locale.ROOT).split("/", -1);
      String field = "recordQueues[" + i + "]";
      Queue queue = parts.length != 2 ? null : directory.center(tenant.id(), parts[0])
          .flatMap(center -> directory.queue(center.id(), parts[1])).orElse(null);
      if (queue == null) {
        throw Fields.invalid(field, "is not a queue of this tenant, written center/queue");
      }
      ids.add(queue.id());
    }
    return ids;
  }

  /** 204 whether or not the tenant had a retention: everything is kept from now on either way. */
  private ApiResponse remove(Call call) {
    retention.remove(requester(call), tenant(call).id());
    return ApiResponse.noContent();
  }

  /** {@code ?all=true}: released holds too. Newest first, at most {@value #MAX_HOLDS}. */
  private ApiResponse holds(Call call) {
    Tenant tenant = tenant(call);
    boolean all = call.query("all").map("true"::equals).orElse(false);
    List<Map<String, Object>> out = new ArrayList<>();
    for (LegalHold h : retention.holds(tenant.id(), all, MAX_HOLDS)) {
      out.add(view(h));
    }
    return ApiResponse.ok(Map.of("holds", out));
  }

  /** {@code {"customer": id} or {"conversation": id}, "reason"}: 201 with the hold. */
  private ApiResponse place(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    onlyKnown(body, HOLD_FIELDS);
    if (body.has("customer") == body.has("conversation")) {
      throw body.has("customer") ? Fields.invalid("conversation", "cannot be given with customer: a hold is on one")
          : Fields.missing("customer");
    }
    Long customer = body.has("customer") ? body.id("customer") : null;
    Long conversation = body.has("conversation") ? body.id("conversation") : null;
    String reason = reason(body);
    return ApiResponse.created(view(retention.place(requester(call), tenant.id(), customer, conversation, reason)));
  }

  /** {@code {"reason"}}: the hold released; a repeat is {@code conflict}. */
  private ApiResponse release(Call call) {
    Tenant tenant = tenant(call);
    long id = Scope.id(call, "hold", "hold");
    Fields body = call.body();
    onlyKnown(body, Set.of("reason"));
    return ApiResponse.ok(view(retention.release(requester(call), tenant.id(), id, reason(body))));
  }

  /**
   * {@code {"reason"}}: what was erased, as counts, and how many conversations were kept as records another law
   * requires. A repeat is 404: an erased customer is no longer there.
   */
  private ApiResponse erase(Call call) {
    Tenant tenant = tenant(call);
    long customer = Scope.id(call, "customer", "customer");
    Fields body = call.body();
    onlyKnown(body, Set.of("reason"));
    CustomerErasure erasure = retention.erase(requester(call), tenant.id(), customer, reason(body));
    Erased e = erasure.erased();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("customer", customer);
    out.put("conversations", e.conversations());
    out.put("messages", e.messages());
    out.put("attachments", e.attachments());
    out.put("files", e.files());
    out.put("keptAsRecord", erasure.keptAsRecord());
    out.put("webhookDeliveries", e.deliveries());
    return ApiResponse.ok(out);
  }

  private static String reason(Fields body) {
    String reason = body.string("reason", MAX_REASON).strip();
    if (reason.isEmpty()) {
      throw Fields.invalid("reason", "must not be blank");
    }
    return reason;
  }

  private static void onlyKnown(Fields body, Set<String> known) {
    for (Iterator<String> names = body.node().fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw Fields.invalid(name, "is not a field here: " + known.stream().sorted().toList() + " are");
      }
    }
  }

  private Map<String, Object> view(Tenant tenant, RetentionPolicy p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("days", p == null ? null : p.days());
    out.put("recordDays", p == null ? null : p.recordDays());
    List<String> queues = new ArrayList<>();
    if (p != null) {
      for (long id : p.recordQueues()) {
        directory.queue(id).ifPresent(q -> directory.center(q.centerId())
            .ifPresent((Center c) -> queues.add(c.code() + "/" + q.code())));
      }
      queues.sort(null);
    }
    out.put("recordQueues", queues);
    out.put("action", p == null ? null : p.action().name());
    out.put("minimumDays", retention.minimumDays());
    return out;
  }

  private static Map<String, Object> view(LegalHold h) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", h.id());
    out.put("customer", h.customerId());
    out.put("conversation", h.conversationId());
    out.put("reason", h.reason());
    out.put("placedBy", h.placedBy());
    out.put("placedAt", h.placedAt().toString());
    out.put("releasedBy", h.releasedBy());
    out.put("releasedAt", h.releasedAt() == null ? null : h.releasedAt().toString());
    out.put("releaseReason", h.releaseReason());
    return out;
  }
}
