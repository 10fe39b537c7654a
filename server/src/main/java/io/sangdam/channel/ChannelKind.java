package io.sangdam.channel;

import java.util.HashSet;
import java.util.Set;

/**
 * What a channel is, and the settings of its own each kind takes ({@code required} among {@code allowed});
 * {@code hidden} ones (credentials a partner issued us) are stored but never shown again after creation.
 */
public enum ChannelKind {
  /**
   * KakaoTalk 상담톡 through a dealer (docs/protocol.md, "KakaoTalk 상담톡"): the dealer's API base URL, the
   * client id and secret it issued us, and the channel profile's {@code sender_key}.
   */
  KAKAO(Set.of("apiUrl", "clientId", "clientSecret", "senderKey"), asking(true, "apiUrl", "clientId", "clientSecret",
      "senderKey"), Set.of("clientSecret")),
  /**
   * Naver TalkTalk's partner API (navertalk/chatbot-api): {@code authorizationKey}, the 보내기 API's
   * 인증 키 sent as its {@code Authorization} header; {@code partnerApiUrl}, where sends go (default
   * {@code https://gw.talk.naver.com/chatbot/v1/event}).
   */
  NAVER_TALKTALK(Set.of("authorizationKey"), asking(true, "authorizationKey", "partnerApiUrl"), Set.of("authorizationKey")),
  /**
   * SMS/LMS through an HTTP gateway (docs/protocol.md, "SMS/LMS"): where and how to post a text, and the
   * company's registered sender number.
   */
  SMS(Set.of("gatewayUrl", "bodyTemplate", "fromNumber"), asking(true, "gatewayUrl", "bodyTemplate", "fromNumber",
      "authHeader", "contentType"), Set.of("authHeader")),
  /** A company's own app or a dealer not listed: signed webhooks both ways (PROTOCOL.md, "Channels"). */
  CUSTOM(Set.of("outboundUrl"), asking(false, "outboundUrl"), Set.of());

  private final Set<String> required;
  private final Set<String> allowed;
  private final Set<String> hidden;

  ChannelKind(Set<String> required, Set<String> allowed, Set<String> hidden) {
    this.required = required;
    this.allowed = allowed;
    this.hidden = hidden;
  }

  /**
   * The kind's own settings and the rating's ({@link ChannelRatings}): {@code rating} on every kind; a kind
   * that asks in text also takes the question ({@code ratingText}) and how long an answer is awaited
   * ({@code ratingWindowMinutes}).
   */
  private static Set<String> asking(boolean inText, String... own) {
    Set<String> all = new HashSet<>(Set.of(own));
    all.add(ChannelRatings.RATING);
    if (inText) {
      all.addAll(Set.of(ChannelRatings.TEXT, ChannelRatings.WINDOW));
    }
    return Set.copyOf(all);
  }

  /** Whether the kind asks its customers to rate in a text of the chat, and reads a score from their next one. */
  public boolean ratesInText() {
    return this != CUSTOM;
  }

  /**
   * Whether the partner keeps one line per customer, which each of their conversations with us uses in turn
   * (KakaoTalk's 상담 session, a TalkTalk chat, a phone number): every kind but the custom one, whose messages
   * name our conversation.
   */
  public boolean oneLinePerCustomer() {
    return this != CUSTOM;
  }

  public Set<String> required() {
    return required;
  }

  public Set<String> allowed() {
    return allowed;
  }

  public Set<String> hidden() {
    return hidden;
  }
}
