package io.sangdam.callback;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * What managers count of callbacks whose slot falls in a range: {@code requested}; {@code completed} (a final outcome
 * recorded); {@code reached} of those; {@code reachedRate} (reached of completed, null when none is); {@code overdue}
 * (still uncalled a slot's length after due, as of now); {@code noAnswer} calls made that nobody answered.
 */
public record CallbackFigures(int requested, int completed, int reached, Double reachedRate, int overdue,
    int noAnswer) {

  /** One center's queue on one local day of its slots. */
  public record Row(LocalDate day, long centerId, long queueId, CallbackFigures figures) {}

  /** The rows (by day, center, queue) and the total. */
  public record Report(List<Row> rows, CallbackFigures total) {}

  /** The figures of {@code callbacks}, as of {@code now}; {@code zone} gives each center's time zone for its days. */
  public static Report of(List<Callback> callbacks, Instant now, LongFunction<ZoneId> zone) {
    record Key(LocalDate day, long centerId, long queueId) {}
    Map<Key, List<Callback>> groups = new TreeMap<>(Comparator.comparing(Key::day)
        .thenComparingLong(Key::centerId).thenComparingLong(Key::queueId));
    for (Callback c : callbacks) {
      groups.computeIfAbsent(new Key(c.slotAt().atZone(zone.apply(c.centerId())).toLocalDate(), c.centerId(),
          c.queueId()), k -> new ArrayList<>()).add(c);
    }
    List<Row> rows = new ArrayList<>();
    groups.forEach((k, list) -> rows.add(new Row(k.day(), k.centerId(), k.queueId(), count(list, now))));
    return new Report(rows, count(callbacks, now));
  }

  private static CallbackFigures count(List<Callback> callbacks, Instant now) {
    int completed = 0;
    int reached = 0;
    int overdue = 0;
    int noAnswer = 0;
    for (Callback c : callbacks) {
      if (c.state() == CallbackState.DONE) {
        completed++;
        if (c.outcome() == CallOutcome.REACHED) {
          reached++;
        }
      }
      if (c.overdue(now)) {
        overdue++;
      }
      // Every call but the last was unanswered; the last was too when the request is still open after it.
      noAnswer += c.state() == CallbackState.DONE ? Math.max(0, c.attempts() - 1) : c.attempts();
    }
    Double rate = completed == 0 ? null : Math.round(1000.0 * reached / completed) / 1000.0;
    return new CallbackFigures(callbacks.size(), completed, reached, rate, overdue, noAnswer);
  }
}
