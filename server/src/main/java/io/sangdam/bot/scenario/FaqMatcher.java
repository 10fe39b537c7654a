package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The tenant's FAQ as the engine sees it: a customer's free text in, a verdict out. The matcher itself lives in
 * {@code io.sangdam.bot.faq}; a tenant without an FAQ is {@link #NONE}, and its free text goes to the fallback.
 */
@FunctionalInterface
public interface FaqMatcher {
  /** Never throws for any text; {@code question} is at most {@link ScenarioEngine#MAX_QUESTION} characters. */
  Verdict match(String question);

  /** A tenant with no FAQ: nothing ever matches. */
  FaqMatcher NONE = question -> new Nothing();

  /** One FAQ entry: {@code question} is offered as a button label when unsure, {@code answer} said when chosen. */
  record Entry(String id, String question, String answer) {
    public Entry {
      requireNonNull(id, "id");
      requireNonNull(question, "question");
      requireNonNull(answer, "answer");
    }
  }

  sealed interface Verdict {}

  /** One entry answers the question well enough to say it. */
  record Confident(Entry entry) implements Verdict {
    public Confident {
      requireNonNull(entry, "entry");
    }
  }

  /** Some entries are close; the first three are offered, best first. */
  record Unsure(List<Entry> closest) implements Verdict {
    public Unsure {
      closest = List.copyOf(closest);
    }
  }

  record Nothing() implements Verdict {}
}
