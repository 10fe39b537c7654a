package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.channel.Channel;
import io.sangdam.channel.CustomerLinks;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer identity across channels, for HQ and the tenant's admins: {@code POST} links a channel's
 * customer to the external id the company knows them by, {@code DELETE} removes the link. Both are
 * audited as every management change is ({@link ManagementAudit}).
 */
public final class CustomerLinkEndpoints implements Endpoints {
  private static final String LINKS = "/api/tenants/{tenant}/customers/links";
  /** As long as the columns that keep them: a customer's key on a channel, and an external id. */
  private static final int MAX_USER = 128;
  private static final int MAX_EXTERNAL_ID = 100;

  private final Directory directory;
  private final CustomerLinks links;

  public CustomerLinkEndpoints(Directory directory, CustomerLinks links) {
    this.directory = directory;
    this.links = links;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("POST", LINKS, true, this::link),
        new Route("DELETE", LINKS, true, this::unlink));
  }

  /** {@code {"channel","user","externalId"}} -> 200 with the link. */
  private ApiResponse link(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    String channel = channel(body);
    String user = nonBlank(body, "user", MAX_USER);
    String externalId = nonBlank(body, "externalId", MAX_EXTERNAL_ID);
    links.link(tenant.id(), channel, user, externalId);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("channel", channel);
    out.put("user", user);
    out.put("externalId", externalId);
    return ApiResponse.ok(out);
  }

  /** {@code {"channel","user"}} -> 204. */
  private ApiResponse unlink(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    links.unlink(tenant.id(), channel(body), nonBlank(body, "user", MAX_USER));
    return ApiResponse.noContent();
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.CUSTOMERS_LINK);
    return Scope.tenant(directory, call);
  }

  /** A channel's code: the widget's {@code web} has no channel customers to link. */
  private static String channel(Fields body) {
    String code = body.slug("channel");
    if (code.equals(Channel.WEB)) {
      throw Fields.invalid("channel", "must be a channel's code, not the widget's 'web'");
    }
    return code;
  }

  private static String nonBlank(Fields body, String name, int maxLength) {
    String value = body.string(name, maxLength);
    if (value.isBlank()) {
      throw Fields.invalid(name, "must not be blank");
    }
    return value;
  }
}
