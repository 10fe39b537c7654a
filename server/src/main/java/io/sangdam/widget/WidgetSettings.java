package io.sangdam.widget;

import static java.util.Objects.requireNonNull;

/**
 * How a center's widget looks and what it offers. {@code title} null: the widget's own title in the reader's
 * language. {@code logoUrl}: an https address of a logo; {@code hasLogo}: an uploaded logo, which wins over it.
 * {@code allowTranscript}: the customer may copy or save the chat.
 */
public record WidgetSettings(String title, String brandColor, String welcome, String logoUrl, boolean hasLogo,
    boolean allowTranscript, PreChatForm form) {
  public static final String DEFAULT_BRAND_COLOR = "#1f5fbf";
  public static final WidgetSettings DEFAULTS = new WidgetSettings(null, DEFAULT_BRAND_COLOR, null, null, false,
      false, PreChatForm.OFF);

  public WidgetSettings {
    requireNonNull(brandColor, "brandColor");
    requireNonNull(form, "form");
  }
}
