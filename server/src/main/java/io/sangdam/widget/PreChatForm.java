package io.sangdam.widget;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a center asks before a chat. {@code inquiryTypes}: the center's own list to choose one from (empty: not
 * asked). {@code consentText}: the personal-data consent (개인정보 수집·이용 동의) the customer must agree to when
 * {@code consentRequired}; {@code consentVersion} goes up with every change of its text.
 */
public record PreChatForm(boolean enabled, Ask name, Ask contact, List<String> inquiryTypes, boolean consentRequired,
    String consentText, int consentVersion) {
  public static final PreChatForm OFF = new PreChatForm(false, Ask.OFF, Ask.OFF, List.of(), false, null, 0);

  public PreChatForm {
    requireNonNull(name, "name");
    requireNonNull(contact, "contact");
    inquiryTypes = List.copyOf(inquiryTypes);
  }
}
