package io.sangdam.channel;

import java.util.Set;

/**
 * What a channel is, and the settings of its own each kind takes ({@code required} among {@code allowed});
 * {@code hidden} ones are keys, never shown after the channel's creation.
 */
public enum ChannelKind {
  KAKAO(Set.of(), Set.of()),
  /**
   * Naver TalkTalk's partner API (navertalk/chatbot-api): {@code authorizationKey}, the 보내기 API's
   * 인증 키 sent as its {@code Authorization} header; {@code partnerApiUrl}, where sends go (default
   * {@code https://gw.talk.naver.com/chatbot/v1/event}).
   */
  NAVER_TALKTALK(Set.of("authorizationKey"), Set.of("authorizationKey", "partnerApiUrl"), Set.of("authorizationKey")),
  SMS(Set.of(), Set.of()),
  /** A company's own app or a dealer not listed: signed webhooks both ways (PROTOCOL.md, "Channels"). */
  CUSTOM(Set.of("outboundUrl"), Set.of("outboundUrl"));

  private final Set<String> required;
  private final Set<String> allowed;
  private final Set<String> hidden;

  ChannelKind(Set<String> required, Set<String> allowed) {
    this(required, allowed, Set.of());
  }

  ChannelKind(Set<String> required, Set<String> allowed, Set<String> hidden) {
    this.required = required;
    this.allowed = allowed;
    this.hidden = hidden;
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
