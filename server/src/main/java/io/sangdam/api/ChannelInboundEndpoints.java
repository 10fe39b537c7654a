package io.sangdam.api;

import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels' inbound webhooks: open to anyone on the network, each request proven by the channel's
 * signature instead of a token ({@link ChannelInbound}).
 */
public final class ChannelInboundEndpoints implements Endpoints {
  private final ChannelInbound inbound;

  public ChannelInboundEndpoints(ChannelInbound inbound) {
    this.inbound = inbound;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("POST", "/channels/{tenant}/{channel}/inbound", false, this::receive));
  }

  /** 200 {@code {"conversation","seq"}} once the message is stored ({@code seq} left out for an event). */
  private ApiResponse receive(Call call) {
    return ApiResponse.later(inbound.receive(call.param("tenant"), call.param("channel"), call.request().signature(),
        call.request().body()).thenApply(ChannelInboundEndpoints::answer));
  }

  private static ApiResponse answer(InboundAnswer a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation", a.conversationId());
    if (a.seq() != null) {
      out.put("seq", a.seq());
    }
    return ApiResponse.ok(out);
  }
}
