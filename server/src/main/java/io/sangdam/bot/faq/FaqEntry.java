package io.sangdam.bot.faq;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One question of a tenant's FAQ and its answer. The alternatives are other phrasings or keywords
 * the tenant adds ("카드 분실 신고; 카드 도난") so that customers who say it another way are found;
 * they are matched like the question, the answer never is.
 */
public record FaqEntry(String id, String question, List<String> alternatives, String answer) {
  public FaqEntry {
    requireNonNull(id, "id");
    requireNonNull(question, "question");
    requireNonNull(answer, "answer");
    alternatives = List.copyOf(requireNonNull(alternatives, "alternatives"));
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (question.isBlank()) {
      throw new IllegalArgumentException("question must not be blank");
    }
  }
}
