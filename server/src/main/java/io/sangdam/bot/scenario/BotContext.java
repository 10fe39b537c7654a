package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What a turn of the engine needs from outside: the time, the centers' hours, the tenant's FAQ, callback slots. */
public record BotContext(Instant now, OpeningHours hours, FaqMatcher faq, CallbackTimes callbackTimes) {
  public BotContext {
    requireNonNull(now, "now");
    requireNonNull(hours, "hours");
    requireNonNull(faq, "faq");
    requireNonNull(callbackTimes, "callbackTimes");
  }

  /** With no callback slots anywhere. */
  public BotContext(Instant now, OpeningHours hours, FaqMatcher faq) {
    this(now, hours, faq, CallbackTimes.NONE);
  }
}
