package io.sangdam.api;

import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.kakao.KakaoInbound;
import io.sangdam.channel.naver.NaverWebhook;
import io.sangdam.channel.sms.SmsInbound;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The channels' inbound webhooks: open to anyone on the network, each request proven by the channel's
 * signature ({@link ChannelInbound}) or by the credentials its partner sends ({@link KakaoInbound},
 * {@link SmsInbound}), or, for Naver TalkTalk, by the secret in its URL ({@link NaverWebhook}), instead of a token.
 */
public final class ChannelInboundEndpoints implements Endpoints {
  private static final String CHANNEL = "/channels/{tenant}/{channel}";

  private final ChannelInbound inbound;
  private final KakaoInbound kakao;
  private final SmsInbound sms;
  private final NaverWebhook naver;

  public ChannelInboundEndpoints(ChannelInbound inbound, KakaoInbound kakao, SmsInbound sms, NaverWebhook naver) {
    this.inbound = inbound;
    this.kakao = kakao;
    this.sms = sms;
    this.naver = naver;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("POST", CHANNEL + "/inbound", false, this::receive),
        new Route("POST", CHANNEL + "/kakao/reference", false, call -> kakao(call, KakaoInbound.Event.REFERENCE)),
        new Route("POST", CHANNEL + "/kakao/message", false, call -> kakao(call, KakaoInbound.Event.MESSAGE)),
        new Route("POST", CHANNEL + "/kakao/expired", false, call -> kakao(call, KakaoInbound.Event.EXPIRED)),
        new Route("POST", CHANNEL + "/sms", false, this::sms),
        new Route("POST", CHANNEL + "/naver/{secret}", false, this::receiveNaver));
  }

  /** 200 {@code {"code":0,"conversation"?,"seq"?}}: the dealers' own way of saying done, with ours. */
  private ApiResponse kakao(Call call, KakaoInbound.Event event) {
    return ApiResponse.later(kakao.receive(call.param("tenant"), call.param("channel"), event,
        call.request().header(KakaoInbound.CLIENT_ID), call.request().header(KakaoInbound.CLIENT_SECRET),
        call.request().body()).thenApply(a -> partnerAnswer(a, Map.of("code", 0))));
  }

  /** 200 {@code {"conversation"?,"seq"?}} ({@code {}} for an opt-out without an open conversation). */
  private ApiResponse sms(Call call) {
    return ApiResponse.later(sms.receive(call.param("tenant"), call.param("channel"),
        call.request().header(SmsInbound.KEY_HEADER), call.request().body())
        .thenApply(a -> partnerAnswer(a, Map.of())));
  }

  private static ApiResponse partnerAnswer(Optional<InboundAnswer> answer, Map<String, Object> first) {
    Map<String, Object> out = new LinkedHashMap<>(first);
    answer.ifPresent(a -> {
      out.put("conversation", a.conversationId());
      if (a.seq() != null) {
        out.put("seq", a.seq());
      }
    });
    return ApiResponse.ok(out);
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
