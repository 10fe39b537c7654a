package io.sangdam.stats;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reads the bot's roll-ups ({@code stats_bot_hour}, {@code stats_bot_faq_hour}). Implemented in {@code store}; blocks. */
public interface BotStatisticsStore {
  /** The summed roll-ups of each UTC hour in {@code [from, to)}, scenario and channel that has any, by hour. */
  List<BotHour> hours(Filter filter, Instant from, Instant to);

  /** Whether the tenant has a scenario of that id. */
  boolean hasScenario(long tenantId, long scenarioId);

  /** Each FAQ entry's counts summed over {@code [from, to)}, most answered first, with its question (null: deleted). */
  List<FaqEntryTotals> faqEntries(Filter filter, Instant from, Instant to);

  /**
   * What to count: a tenant's conversations, narrowed to a center, a queue and a scenario where not null, and to the
   * {@code channels} named ({@code web} and channel codes) where not null (an empty set counts nothing).
   */
  record Filter(long tenantId, Long centerId, Long queueId, Long scenarioId, Set<String> channels) {
    public Filter {
      channels = channels == null ? null : Set.copyOf(channels);
    }
  }

  /** The sums of one hour, scenario (with its current name) and channel. */
  record BotHour(Instant hour, long scenarioId, String scenarioName, String channel, long conversations,
      long handedOff, long endedByBot, long inquiries, long leftWithBot, long faqQuestions, long faqAnswered,
      long faqSuggested, long faqChosen, long helpful, long unhelpful) {}

  record FaqEntryTotals(long id, String question, long answered, long helpful, long unhelpful) {}
}
