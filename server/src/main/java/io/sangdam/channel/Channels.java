package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.webhook.WebhookUrls;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's channels as configuration: created with a fresh secret (returned this once), changed,
 * listed. Checks what only the channel's kind knows: its settings, and that an outbound URL may be
 * called from this server. Blocks.
 */
public final class Channels {
  /** The largest setting value: URLs, keys and templates. */
  static final int MAX_SETTING = 500;

  private final ChannelStore store;
  private final WebhookUrls urls;
  private final SecureRandom random;
  private final Clock clock;

  /** {@code urls}: where a channel may be called (the same rules as for webhooks). */
  public Channels(ChannelStore store, WebhookUrls urls, SecureRandom random, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.urls = requireNonNull(urls, "urls");
    this.random = requireNonNull(random, "random");
    this.clock = requireNonNull(clock, "clock");
  }

  public List<Channel> list(long tenantId) {
    return store.forTenant(tenantId);
  }

  public Optional<Channel> find(long tenantId, String code) {
    return store.find(tenantId, code);
  }

  /** A new channel with a fresh secret; {@code web} is the widget's and refused (422, {@code code}). */
  public Channel create(long tenantId, String code, ChannelKind kind, long centerId, long queueId, boolean enabled,
      Map<String, String> settings) {
    if (code.equals(Channel.WEB)) {
      throw Fields.invalid("code", "must not be 'web': it is the widget's");
    }
    if (store.find(tenantId, code).isPresent()) {
      throw new SangdamException(ErrorCode.CONFLICT, "channel '" + code + "' exists");
    }
    return store.insert(tenantId, code, kind, centerId, queueId, enabled, checked(kind, settings), newSecret(),
        clock.instant());
  }

  /** The destination, the enabled flag and settings given replace the old; settings left out stay. */
  public Channel update(Channel channel, long centerId, long queueId, boolean enabled, Map<String, String> settings) {
    Map<String, String> merged = new LinkedHashMap<>(channel.settings());
    merged.putAll(settings);
    return store.update(new Channel(channel.id(), channel.tenantId(), channel.code(), channel.kind(), centerId,
        queueId, enabled, checked(channel.kind(), merged), channel.secret(), channel.createdAt()));
  }

  private Map<String, String> checked(ChannelKind kind, Map<String, String> settings) {
    for (String name : settings.keySet()) {
      if (!kind.allowed().contains(name)) {
        throw Fields.invalid(name, "is not a setting of a " + kind + " channel");
      }
    }
    for (String name : kind.required()) {
      if (!settings.containsKey(name)) {
        throw Fields.missing(name);
      }
    }
    settings.forEach((name, value) -> {
      if (value.length() > MAX_SETTING) {
        throw Fields.invalid(name, "must be at most " + MAX_SETTING + " characters");
      }
    });
    ChannelRatings.check(settings);
    for (String url : List.of("outboundUrl", "apiUrl", "gatewayUrl", "partnerApiUrl")) {
      Optional.ofNullable(settings.get(url)).ifPresent(value -> urls.checked(url, value));
    }
    return settings;
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "chsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
