package io.sangdam.widget;

import java.time.Instant;

/**
 * What a customer gave in the pre-chat form (each null when not asked or left out), and the consent they
 * agreed to: its version and text as it read then, and when ({@code consentedAt}); all three null without one.
 */
public record PreChatAnswers(String name, String contact, String inquiryType, Integer consentVersion,
    String consentText, Instant consentedAt) {}
