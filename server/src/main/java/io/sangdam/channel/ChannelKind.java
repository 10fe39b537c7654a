package io.sangdam.channel;

import java.util.Set;

/** What a channel is, and the settings of its own each kind takes ({@code required} among {@code allowed}). */
public enum ChannelKind {
  KAKAO(Set.of(), Set.of()),
  NAVER_TALKTALK(Set.of(), Set.of()),
  SMS(Set.of(), Set.of()),
  /** A company's own app or a dealer not listed: signed webhooks both ways (PROTOCOL.md, "Channels"). */
  CUSTOM(Set.of("outboundUrl"), Set.of("outboundUrl"));

  private final Set<String> required;
  private final Set<String> allowed;

  ChannelKind(Set<String> required, Set<String> allowed) {
    this.required = required;
    this.allowed = allowed;
  }

  public Set<String> required() {
    return required;
  }

  public Set<String> allowed() {
    return allowed;
  }
}
