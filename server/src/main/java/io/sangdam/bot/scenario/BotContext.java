package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What a turn of the engine needs from outside: the time, the centers' hours and the tenant's FAQ. */
public record BotContext(Instant now, OpeningHours hours, FaqMatcher faq) {
  public BotContext {
    requireNonNull(now, "now");
    requireNonNull(hours, "hours");
    requireNonNull(faq, "faq");
  }
}
