package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

/**
 * Something a turn did that the bot's statistics count, said by the engine beside its messages so that the caller
 * stores it with the turn (the engine itself keeps nothing). {@code entry} is an FAQ entry's id.
 */
public sealed interface BotFact {

  /** What the bot made of free text it matched against the FAQ. */
  enum FaqResult {
    /** A confident match, answered at once. */
    ANSWERED,
    /** The closest questions offered as buttons. */
    SUGGESTED,
    /** Neither: the fallback, or the FAQ node's unsure or nothing exit. */
    UNANSWERED
  }

  /** The customer's free text was matched against the FAQ; {@code entry} is the one answered, null unless ANSWERED. */
  record FaqAsked(FaqResult result, String entry) implements BotFact {
    public FaqAsked {
      requireNonNull(result, "result");
      if ((result == FaqResult.ANSWERED) != (entry != null)) {
        throw new IllegalArgumentException("an FAQ question names its entry exactly when it was answered");
      }
    }
  }

  /** The customer chose one of the suggested questions, and its answer was said. */
  record FaqChosen(String entry) implements BotFact {
    public FaqChosen {
      requireNonNull(entry, "entry");
    }
  }

  /** The customer said whether the answer of {@code entry} helped. */
  record Rated(String entry, boolean helpful) implements BotFact {
    public Rated {
      requireNonNull(entry, "entry");
    }
  }
}
