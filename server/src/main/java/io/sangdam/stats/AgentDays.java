package io.sangdam.stats;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** An agent's own figures of today, from local midnight in their center's time zone until now. Blocks. */
public final class AgentDays {
  private final AgentDayStore store;
  private final Clock clock;

  public AgentDays(AgentDayStore store, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Today's date where the agent works, and their figures since its midnight. */
  public record Today(LocalDate date, ZoneId zone, AgentDay figures) {}

  public Today today(long agentId, ZoneId zone) {
    Instant now = clock.instant();
    LocalDate date = LocalDate.ofInstant(now, zone);
    return new Today(date, zone, store.closedBy(agentId, date.atStartOfDay(zone).toInstant(), now.plusMillis(1)));
  }
}
