package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.widget.PreChatAnswers;
import java.util.Optional;

/**
 * The pre-chat form of the customer's center as {@code start} meets it, one call each (as {@link Chat}), wired
 * with the widgets' own methods. Both block: run them off the event loops.
 */
public final class PreChat {
  private PreChat() {}

  /**
   * The answers in a {@code start}'s {@code form} (null when none was sent), checked against the center's form;
   * empty when none is asked of this customer. Throws the error the customer is told; then nothing is kept.
   */
  @FunctionalInterface
  public interface Check {
    Optional<PreChatAnswers> check(long centerId, boolean verified, JsonNode form);
  }

  /** Keeps the answers with the conversation they opened. */
  @FunctionalInterface
  public interface Keep {
    void keep(long tenantId, long conversationId, PreChatAnswers answers);
  }
}
