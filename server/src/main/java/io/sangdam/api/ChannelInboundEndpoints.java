package io.sangdam.api;

import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.naver.NaverWebhook;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels' inbound webhooks: open to anyone on the network, each request proven by the channel's
 * signature instead of a token ({@link ChannelInbound}); Naver TalkTalk's by the secret in its URL
 * ({@link NaverWebhook}).
 */
public final class ChannelInboundEndpoints implements Endpoints {
  private final ChannelInbound inbound;
  private final NaverWebhook naver;

  public ChannelInboundEndpoints(ChannelInbound inbound, NaverWebhook naver) {
    this.inbound = inbound;
    this.naver = naver;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("POST", "/channels/{tenant}/{channel}/inbound", false, this::receive),
        new Route("POST", "/channels/{tenant}/{channel}/naver/{secret}", false, this::receiveNaver));
  }

  /** 200 {@code {"conversation","seq"}} once the message is stored ({@code seq} left out for an event). */
  private ApiResponse receive(Call call) {
    return ApiResponse.later(inbound.receive(call.param("tenant"), call.param("channel"), call.request().signature(),
        call.request().body()).thenApply(ChannelInboundEndpoints::answer));
  }

  /**
   * 200 once the event is done: {@code {"conversation","seq"?}} as above for a stored message or a leave,
   * {@code {}} for an event that stores none. Neither has an {@code event}, so Naver sends nothing back
   * (README, "이벤트 기본 구조": a body with an event would be sent to the user).
   */
  private ApiResponse receiveNaver(Call call) {
    return ApiResponse.later(naver.receive(call.param("tenant"), call.param("channel"), call.param("secret"),
        call.request().body()).thenApply(a -> a.map(ChannelInboundEndpoints::answer).orElse(ApiResponse.ok(Map.of()))));
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
