package io.sangdam.channel;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's channel: its {@code code} (never {@value #WEB}), its kind, the center and queue its new
 * conversations go to, and its kind's {@code settings} (for {@link ChannelKind#CUSTOM}: {@code
 * outboundUrl}). {@code secret} signs what passes between the channel and us; it leaves the server once,
 * in the answer that created the channel.
 */
public record Channel(long id, long tenantId, String code, ChannelKind kind, long centerId, long queueId,
    boolean enabled, Map<String, String> settings, String secret, Instant createdAt) {
  /** The widget's channel code, which no channel may take. */
  public static final String WEB = "web";

  public Channel {
    settings = Map.copyOf(settings);
  }

  public Optional<String> setting(String name) {
    return Optional.ofNullable(settings.get(name));
  }
}
