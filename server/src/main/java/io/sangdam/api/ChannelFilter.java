package io.sangdam.api;

import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.Channels;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code channel} (a code, {@code web} for the widget) and {@code channelKind} query parameters
 * of search and statistics, as the channel codes they leave; and each code's kind, for views. The
 * widget's kind is {@value #WEB_KIND}; a channel's is its {@link ChannelKind}. Blocks.
 */
final class ChannelFilter {
  static final String WEB_KIND = "WEB";
  private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
  private static final Set<String> KINDS = kinds();

  private final Channels channels;

  ChannelFilter(Channels channels) {
    this.channels = channels;
  }

  /**
   * The codes the call's parameters leave in the tenant; null when it gives neither. A code the tenant
   * has no channel of is not found; a kind it has no channel of leaves none. Both given: the channel,
   * if it is of that kind.
   */
  Set<String> codes(Call call, long tenantId) {
    Optional<String> code = call.query("channel").map(c -> c.strip().toLowerCase(Locale.ROOT));
    Optional<String> kind = call.query("channelKind").map(k -> k.strip().toUpperCase(Locale.ROOT));
    if (code.isEmpty() && kind.isEmpty()) {
      return null;
    }
    kind.filter(k -> !KINDS.contains(k)).ifPresent(k -> {
      throw Fields.invalid("channelKind", "must be one of " + KINDS);
    });
    Map<String, String> kinds = kinds(tenantId);
    Set<String> codes = new HashSet<>(kinds.keySet());
    if (code.isPresent()) {
      if (!CODE.matcher(code.get()).matches()) {
        throw Fields.invalid("channel", "must be web or a channel's code");
      }
      if (!kinds.containsKey(code.get())) {
        throw SangdamException.notFound("channel '" + code.get() + "'");
      }
      codes.retainAll(Set.of(code.get()));
    }
    kind.ifPresent(k -> codes.removeIf(c -> !kinds.get(c).equals(k)));
    return codes;
  }

  /** The tenant's channel codes ({@code web} first) and their kinds. */
  Map<String, String> kinds(long tenantId) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(Channel.WEB, WEB_KIND);
    channels.list(tenantId).forEach(c -> out.put(c.code(), c.kind().name()));
    return out;
  }

  private static Set<String> kinds() {
    Set<String> out = Arrays.stream(ChannelKind.values()).map(Enum::name)
        .collect(Collectors.toCollection(TreeSet::new));
    out.add(WEB_KIND);
    return Collections.unmodifiableSet(out);
  }
}
