package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.bot.BotEndpoint;
import io.sangdam.bot.BotEndpoints;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's external bots (docs/protocol.md, "External bot webhook"), for HQ and the tenant's admins: list,
 * create and rotate (the signing secret and the reply token shown those times only), read, change. Audited as all
 * management is, the secret and token blanked.
 */
public final class BotEndpointEndpoints implements Endpoints {
  private static final String ENDPOINTS = "/api/tenants/{tenant}/bot-endpoints";
  private static final int MAX_NAME = 100;

  private final Directory directory;
  private final BotEndpoints endpoints;

  public BotEndpointEndpoints(Directory directory, BotEndpoints endpoints) {
    this.directory = directory;
    this.endpoints = endpoints;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", ENDPOINTS, true, this::list),
        new Route("POST", ENDPOINTS, true, this::create),
        new Route("GET", ENDPOINTS + "/{endpoint}", true, call -> ApiResponse.ok(view(endpoint(call), null))),
        new Route("PUT", ENDPOINTS + "/{endpoint}", true, this::update),
        new Route("POST", ENDPOINTS + "/{endpoint}/rotate", true, this::rotate));
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private BotEndpoint endpoint(Call call) {
    Tenant tenant = tenant(call);
    String code = call.param("endpoint");
    return endpoints.find(tenant.id(), code.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> SangdamException.notFound("bot endpoint '" + code + "'"));
  }

  private ApiResponse list(Call call) {
    return ApiResponse.ok(Paging.page(call, endpoints.list(tenant(call).id()).stream().map(e -> view(e, null))
        .toList()));
  }

  /**
   * {@code {"code","name","url","timeoutSeconds"?,"replyWithinSeconds"?,"enabled"?}} -> 201 with {@code secret} and
   * {@code token}, this once.
   */
  private ApiResponse create(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    BotEndpoints.Issued issued = endpoints.create(tenant.id(), body.slug("code"), body.string("name", MAX_NAME),
        body.string("url", Integer.MAX_VALUE), timeout(body).orElse(BotEndpoints.DEFAULT_TIMEOUT),
        replyWithin(body).orElse(BotEndpoints.DEFAULT_REPLY_WITHIN), body.optBool("enabled").orElse(true));
    return ApiResponse.created(view(issued.endpoint(), issued.token()));
  }

  /** {@code {"name"?,"url"?,"timeoutSeconds"?,"replyWithinSeconds"?,"enabled"?}}: only what is given changes. */
  private ApiResponse update(Call call) {
    BotEndpoint endpoint = endpoint(call);
    Fields body = call.body();
    return ApiResponse.ok(view(endpoints.update(endpoint, body.optString("name", MAX_NAME),
        body.optString("url", Integer.MAX_VALUE), timeout(body), replyWithin(body), body.optBool("enabled")), null));
  }

  /** A new secret and token, shown this once; the old ones stop working at once. */
  private ApiResponse rotate(Call call) {
    BotEndpoints.Issued issued = endpoints.rotate(endpoint(call));
    return ApiResponse.ok(view(issued.endpoint(), issued.token()));
  }

  private static Optional<Duration> timeout(Fields body) {
    return body.optInt("timeoutSeconds", 1, BotEndpoints.MAX_TIMEOUT_SECONDS).map(Duration::ofSeconds);
  }

  private static Optional<Duration> replyWithin(Fields body) {
    return body.optInt("replyWithinSeconds", BotEndpoints.MIN_REPLY_WITHIN_SECONDS,
        BotEndpoints.MAX_REPLY_WITHIN_SECONDS).map(Duration::ofSeconds);
  }

  /** {@code token}: just issued, shown with the secret; null: neither is shown. */
  private static Map<String, Object> view(BotEndpoint e, String token) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", e.code());
    out.put("name", e.name());
    out.put("url", e.url());
    out.put("timeoutSeconds", e.timeout().toSeconds());
    out.put("replyWithinSeconds", e.replyWithin().toSeconds());
    out.put("enabled", e.enabled());
    out.put("createdAt", e.createdAt().toString());
    if (token != null) {
      out.put("secret", e.secret());
      out.put("token", token);
    }
    return out;
  }
}
