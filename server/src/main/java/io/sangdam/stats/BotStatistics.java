package io.sangdam.stats;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bot's reports: per hour or day over a range of local days, as {@link Statistics} (same range rules), and over
 * the whole range per scenario, per channel and per FAQ entry. Summed from hourly roll-ups. Blocks on the database.
 */
public final class BotStatistics {
  private final BotStatisticsStore store;

  public BotStatistics(BotStatisticsStore store) {
    this.store = requireNonNull(store, "store");
  }

  public record Row(ZonedDateTime start, BotFigures figures) {}

  public record ScenarioRow(long id, String name, BotFigures figures) {}

  public record ChannelRow(String channel, BotFigures figures) {}

  /** Scenarios by id and channels by code, each only when it counted anything. */
  public record Report(List<Row> intervals, BotFigures total, List<ScenarioRow> scenarios, List<ChannelRow> channels,
      List<BotStatisticsStore.FaqEntryTotals> faq) {}

  /** Whether the tenant has a scenario of that id (another tenant's is none). */
  public boolean hasScenario(long tenantId, long scenarioId) {
    return store.hasScenario(tenantId, scenarioId);
  }

  /** The bot's figures of {@code filter} for the local days {@code from} to {@code to}, both included. */
  public Report report(BotStatisticsStore.Filter filter, LocalDate from, LocalDate to, Statistics.Interval interval,
      ZoneId zone) {
    List<ZonedDateTime> starts = Statistics.starts(from, to, interval, zone);
    List<BotFigures.Tally> tallies = new ArrayList<>();
    starts.forEach(s -> tallies.add(new BotFigures.Tally()));
    BotFigures.Tally total = new BotFigures.Tally();
    Map<Long, BotFigures.Tally> byScenario = new TreeMap<>();
    Map<Long, String> names = new TreeMap<>();
    Map<String, BotFigures.Tally> byChannel = new TreeMap<>();
    Instant rangeStart = starts.get(0).toInstant();
    Instant rangeEnd = to.plusDays(1).atStartOfDay(zone).toInstant();
    for (BotStatisticsStore.BotHour h : store.hours(filter, rangeStart, rangeEnd)) {
      tallies.get(Statistics.index(starts, h.hour())).add(h);
      total.add(h);
      byScenario.computeIfAbsent(h.scenarioId(), id -> new BotFigures.Tally()).add(h);
      names.put(h.scenarioId(), h.scenarioName());
      byChannel.computeIfAbsent(h.channel(), c -> new BotFigures.Tally()).add(h);
    }
    List<Row> rows = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      rows.add(new Row(starts.get(i), tallies.get(i).figures()));
    }
    return new Report(rows, total.figures(),
        byScenario.entrySet().stream().map(e -> new ScenarioRow(e.getKey(), names.get(e.getKey()),
            e.getValue().figures())).toList(),
        byChannel.entrySet().stream().map(e -> new ChannelRow(e.getKey(), e.getValue().figures())).toList(),
        store.faqEntries(filter, rangeStart, rangeEnd));
  }
}
