package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.webhook.Webhook;
import io.sangdam.webhook.Webhooks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A tenant's webhooks, for HQ and the tenant's admins: list, register (the secret shown once), change, remove. */
public final class WebhookEndpoints implements Endpoints {
  private static final String WEBHOOKS = "/api/tenants/{tenant}/webhooks";

  private final Directory directory;
  private final Webhooks webhooks;

  public WebhookEndpoints(Directory directory, Webhooks webhooks) {
    this.directory = directory;
    this.webhooks = webhooks;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", WEBHOOKS, true, this::list),
        new Route("POST", WEBHOOKS, true, this::create),
        new Route("GET", WEBHOOKS + "/{webhook}", true, call -> ApiResponse.ok(view(webhook(call), false))),
        new Route("PUT", WEBHOOKS + "/{webhook}", true, this::update),
        new Route("DELETE", WEBHOOKS + "/{webhook}", true, this::delete));
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private Webhook webhook(Call call) {
    Tenant tenant = tenant(call);
    long id = Scope.id(call, "webhook", "webhook");
    return webhooks.find(tenant.id(), id).orElseThrow(() -> SangdamException.notFound("webhook " + id));
  }

  private ApiResponse list(Call call) {
    return ApiResponse.ok(Paging.page(call, webhooks.list(tenant(call).id()).stream().map(w -> view(w, false))
        .toList()));
  }

  /** {@code {"url","events":[...]}} -> 201 with the {@code secret} that signs the deliveries, this once. */
  private ApiResponse create(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    String url = body.string("url", 500);
    Set<String> events = Set.copyOf(body.strings("events", Webhook.EVENTS.size(), 40));
    return ApiResponse.created(view(webhooks.create(tenant.id(), url, events), true));
  }

  /** {@code {"url"?,"events"?,"enabled"?}}: only what is given changes. */
  private ApiResponse update(Call call) {
    Webhook webhook = webhook(call);
    Fields body = call.body();
    Optional<String> url = body.optString("url", 500);
    Optional<Set<String>> events = body.has("events")
        ? Optional.of(Set.copyOf(body.strings("events", Webhook.EVENTS.size(), 40)))
        : Optional.empty();
    return ApiResponse.ok(view(webhooks.update(webhook, url, events, body.optBool("enabled")), false));
  }

  private ApiResponse delete(Call call) {
    Webhook webhook = webhook(call);
    webhooks.delete(webhook.tenantId(), webhook.id());
    return ApiResponse.noContent();
  }

  private static Map<String, Object> view(Webhook w, boolean withSecret) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", w.id());
    out.put("url", w.url());
    out.put("events", new TreeSet<>(w.events()));
    out.put("enabled", w.enabled());
    out.put("createdAt", w.createdAt().toString());
    if (withSecret) {
      out.put("secret", w.secret());
    }
    return out;
  }
}
