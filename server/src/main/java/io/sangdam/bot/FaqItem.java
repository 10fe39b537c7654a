package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One question of a tenant's FAQ as its admins keep it: other ways customers say it ({@code alternatives}), the
 * answer, and whether the bot matches it ({@code enabled}: a disabled one stays for its admins only).
 */
public record FaqItem(long id, long tenantId, String question, List<String> alternatives, String answer,
    boolean enabled, Instant createdAt, Instant updatedAt) {
  public static final int MAX_QUESTION = 200;
  public static final int MAX_ANSWER = 2000;
  public static final int MAX_ALTERNATIVES = 20;
  public static final int MAX_ALTERNATIVE = 200;
  /** A tenant's entries at most: the matcher indexes 2,000 in about 0.2 s, and keeps them in memory on every node. */
  public static final int MAX_PER_TENANT = 2000;

  public FaqItem {
    requireNonNull(question, "question");
    requireNonNull(answer, "answer");
    alternatives = List.copyOf(alternatives);
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }
}
