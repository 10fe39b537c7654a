package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.Channels;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tenant's channels, for HQ and the tenant's admins: list, create (the secret shown once), read,
 * change; and, for every user of the tenant, the kind of each channel code. A channel's kind settings
 * are top-level fields of the body, as PROTOCOL.md's {@code outboundUrl}.
 */
public final class ChannelEndpoints implements Endpoints {
  private static final String CHANNELS = "/api/tenants/{tenant}/channels";
  /** Where each kind's partner posts, after {@code /channels/{tenant}/{channel}} (the Kakao dealer: under it). */
  private static final Map<ChannelKind, String> INBOUND_PATHS = Map.of(ChannelKind.CUSTOM, "/inbound",
      ChannelKind.KAKAO, "/kakao", ChannelKind.SMS, "/sms",
      // Naver calls its webhook without a signature: the channel's secret is the URL's last segment, left a
      // placeholder here so that only the secret field (blanked in the audit log) ever holds it.
      ChannelKind.NAVER_TALKTALK, "/naver/{secret}");

  private final Directory directory;
  private final Channels channels;
  private final ChannelFilter kinds;

  public ChannelEndpoints(Directory directory, Channels channels) {
    this.directory = directory;
    this.channels = channels;
    this.kinds = new ChannelFilter(channels);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", CHANNELS, true, this::list),
        new Route("POST", CHANNELS, true, this::create),
        new Route("GET", CHANNELS + "/{channel}", true, call -> ApiResponse.ok(view(channel(call), false))),
        new Route("PUT", CHANNELS + "/{channel}", true, this::update),
        new Route("GET", "/api/tenants/{tenant}/channel-kinds", true, this::kinds));
  }

  /**
   * Every user of the tenant (agents included, who see no channel's settings): each channel code and its
   * kind, {@code web} first, so a console can name where a conversation comes from.
   */
  private ApiResponse kinds(Call call) {
    Tenant tenant = Scope.tenant(directory, call);
    return ApiResponse.ok(Map.of("channels", kinds.kinds(tenant.id()).entrySet().stream()
        .map(e -> Map.of("code", e.getKey(), "kind", e.getValue())).toList()));
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private Channel channel(Call call) {
    Tenant tenant = tenant(call);
    String code = call.param("channel");
    return channels.find(tenant.id(), code.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> SangdamException.notFound("channel '" + code + "'"));
  }

  private ApiResponse list(Call call) {
    return ApiResponse.ok(Paging.page(call, channels.list(tenant(call).id()).stream().map(c -> view(c, false))
        .toList()));
  }

  /** {@code {"code","kind","center","queue",<the kind's settings>...,"enabled"?}} -> 201 with {@code secret}, this once. */
  private ApiResponse create(Call call) {
    Tenant tenant = tenant(call);
    Fields body = call.body();
    String code = body.slug("code");
    ChannelKind kind = body.oneOf("kind", ChannelKind.class);
    Queue queue = destination(tenant, body, Optional.empty());
    Channel created = channels.create(tenant.id(), code, kind, queue.centerId(), queue.id(),
        body.optBool("enabled").orElse(true), settings(body, kind));
    return ApiResponse.created(view(created, true));
  }

  /** {@code {"center"?,"queue"?,"enabled"?,<the kind's settings>?}}: only what is given changes. */
  private ApiResponse update(Call call) {
    Channel channel = channel(call);
    Tenant tenant = directory.tenant(channel.tenantId()).orElseThrow();
    Fields body = call.body();
    Queue queue = body.has("center") || body.has("queue")
        ? destination(tenant, body, Optional.of(channel))
        : directory.queue(channel.queueId()).orElseThrow();
    return ApiResponse.ok(view(channels.update(channel, queue.centerId(), queue.id(),
        body.optBool("enabled").orElse(channel.enabled()), settings(body, channel.kind())), false));
  }

  /**
   * The queue named by {@code center} and {@code queue} (either left out on a change: the channel's own);
   * each must be the tenant's, else 422 naming it.
   */
  private Queue destination(Tenant tenant, Fields body, Optional<Channel> current) {
    Optional<Center> own = current.flatMap(c -> directory.center(c.centerId()));
    Center center = body.has("center") || own.isEmpty()
        ? directory.center(tenant.id(), body.slug("center"))
            .orElseThrow(() -> Fields.invalid("center", "names no center of tenant '" + tenant.code() + "'"))
        : own.get();
    String queueCode = body.has("queue") || current.isEmpty() ? body.slug("queue")
        : directory.queue(current.get().queueId()).map(Queue::code).orElseThrow();
    return directory.queue(center.id(), queueCode)
        .orElseThrow(() -> Fields.invalid("queue", "names no queue of center '" + center.code() + "'"));
  }

  /** The kind's settings given in the body, as strings; the kind checks which it takes. */
  private static Map<String, String> settings(Fields body, ChannelKind kind) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : kind.allowed()) {
      body.optString(name, Integer.MAX_VALUE).ifPresent(value -> out.put(name, value));
    }
    return out;
  }

  private Map<String, Object> view(Channel c, boolean withSecret) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", c.code());
    out.put("kind", c.kind().name());
    out.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
    out.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
    out.put("enabled", c.enabled());
    Map<String, String> shown = new TreeMap<>(c.settings());
    if (!withSecret) {
      shown.keySet().removeAll(c.kind().hidden());
    }
    out.putAll(shown);
    out.put("inboundUrl", "/channels/" + directory.tenant(c.tenantId()).map(Tenant::code).orElse("") + "/" + c.code()
        + INBOUND_PATHS.get(c.kind()));
    out.put("createdAt", c.createdAt().toString());
    if (withSecret) {
      out.put("secret", c.secret());
    }
    return out;
  }
}
