package io.sangdam.widget;

import java.time.Instant;
import java.util.Optional;

/** Where the widgets' settings, logos and the pre-chat answers are kept. */
public interface WidgetStore {
  /** The center's settings; empty when it never changed them. */
  Optional<WidgetSettings> settings(long centerId);

  /** Replaces the center's settings (the logo, if any, stays). */
  void save(long tenantId, long centerId, WidgetSettings settings);

  /** The center's uploaded logo; empty when none. */
  Optional<Logo> logo(long centerId);

  /** Sets (or with null, removes) the uploaded logo of a center whose settings are saved. */
  void saveLogo(long centerId, Logo logo);

  /** Keeps what the customer gave before the conversation; once per conversation. */
  void saveAnswers(long tenantId, long conversationId, PreChatAnswers answers, Instant at);

  /** What the customer of the conversation gave before it; empty when no form was asked. */
  Optional<PreChatAnswers> answers(long conversationId);

  /** An uploaded logo: the image and its type. */
  record Logo(byte[] image, String contentType) {}
}
