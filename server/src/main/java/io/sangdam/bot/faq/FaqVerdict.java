package io.sangdam.bot.faq;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the matcher makes of a customer's text: one answer it is sure of (sent with "was this
 * helpful?"), up to three it is not sure of (offered as buttons), or nothing (the scenario's
 * fallback: hand-off or ask again).
 */
public sealed interface FaqVerdict {

  /** The best entry, far enough above the threshold and the runner-up to answer with it. */
  record Confident(Candidate best) implements FaqVerdict {
    public Confident {
      requireNonNull(best, "best");
    }
  }

  /** The best entries, best first, at most three: close, but not close enough to answer alone. */
  record Unsure(List<Candidate> candidates) implements FaqVerdict {
    public Unsure {
      candidates = List.copyOf(candidates);
      if (candidates.isEmpty() || candidates.size() > 3) {
        throw new IllegalArgumentException("candidates must be 1 to 3, not " + candidates.size());
      }
    }
  }

  /** No entry is close enough to offer. */
  record Nothing() implements FaqVerdict {}

  /** An entry and how close the customer's text is to it: 0 (nothing shared) to 1 (the same). */
  record Candidate(FaqEntry entry, double score) {
    public Candidate {
      requireNonNull(entry, "entry");
    }
  }
}
