package io.sangdam.bot.scenario;

import java.text.Normalizer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One field of a form: the key it is collected under ({@code name}), what staff see it as ({@code label}), the question
 * asked ({@code prompt}) and the re-ask when an answer does not read ({@code message}). {@code pattern} applies to
 * {@code orderNumber} and {@code text} only; {@code min} and {@code max} (null: unbounded) to {@code number} only.
 */
public record FormField(String name, FieldType type, String label, String prompt, boolean required, String message,
    boolean personal, Pattern pattern, Long min, Long max, int maxLength) {

  /**
   * The customer's answer as kept, or empty when it does not read as this field. Compatibility forms are folded first
   * (NFKC: full-width digits, letters and hyphens become ASCII) and surrounding space dropped.
   */
  public Optional<String> read(String answer) {
    if (answer == null || answer.length() > 4 * maxLength + 64) {
      return Optional.empty();
    }
    String folded = Normalizer.normalize(answer, Normalizer.Form.NFKC).strip();
    return folded.isEmpty() ? Optional.empty() : type.read(folded, this);
  }

  /** The re-ask: the field's own message, else its type's. */
  public String retryMessage() {
    return message != null ? message : type.defaultMessage();
  }
}
