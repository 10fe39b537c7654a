package io.sangdam.accesslog;

import io.sangdam.accesslog.AccessLog.Recorded;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The monthly review of unusual access, from one month's records: each staff member's volume and those far above
 * the median, reads outside the center's business hours, and bulk exports. Flags are for a person to look at, not
 * verdicts: a month of little reading makes a median of one, so a floor keeps a handful of reads from standing out.
 */
public record AccessReport(List<Staff> staff, double median, List<Recorded> offHours, List<Recorded> bulkExports,
    int records) {
  /** A volume this many times the median, and at least {@link #FLOOR} reads, is far above it. */
  public static final int FACTOR = 3;
  public static final int FLOOR = 20;
  /** The actions that take data away: an export or a download of a file. */
  public static final Set<String> TAKE_AWAY = Set.of("export", "download");
  /** At most this many off-hours reads are listed (all are counted per staff member). */
  public static final int MAX_LISTED = 500;

  /**
   * One staff member's month: {@code reads} records, {@code subjects} distinct customers among them, {@code offHours}
   * of them outside business hours, and whether the volume is far above the median.
   */
  public record Staff(Long actorId, String actorName, int reads, int subjects, int offHours, boolean farAboveMedian) {}

  /**
   * {@code offHoursTest}: whether a record was made outside the business hours of its center (or the reader's);
   * {@code bulkSubjects}: how many customers one export or download must name to be listed as bulk.
   */
  public static AccessReport of(List<Recorded> month, Predicate<Recorded> offHoursTest, int bulkSubjects) {
    Map<String, List<Recorded>> byActor = new LinkedHashMap<>();
    for (Recorded r : month) {
      byActor.computeIfAbsent(r.record().actorName(), k -> new ArrayList<>()).add(r);
    }
    List<Recorded> offHours = new ArrayList<>();
    List<Recorded> bulk = new ArrayList<>();
    Map<String, Integer> offHoursByActor = new LinkedHashMap<>();
    for (Recorded r : month) {
      if (offHoursTest.test(r)) {
        offHoursByActor.merge(r.record().actorName(), 1, Integer::sum);
        if (offHours.size() < MAX_LISTED) {
          offHours.add(r);
        }
      }
      if (TAKE_AWAY.contains(r.record().action()) && r.record().subjects().size() >= bulkSubjects) {
        bulk.add(r);
      }
    }
    double median = median(byActor.values().stream().map(List::size).sorted().toList());
    List<Staff> staff = byActor.values().stream().map(reads -> {
      Set<Long> subjects = new HashSet<>();
      reads.forEach(r -> subjects.addAll(r.record().subjects()));
      AccessRecord first = reads.get(0).record();
      return new Staff(first.actorId(), first.actorName(), reads.size(), subjects.size(),
          offHoursByActor.getOrDefault(first.actorName(), 0), reads.size() >= FLOOR && reads.size() >= FACTOR * median);
    }).sorted(Comparator.comparingInt(Staff::reads).reversed().thenComparing(Staff::actorName)).toList();
    return new AccessReport(staff, median, offHours, bulk, month.size());
  }

  private static double median(List<Integer> sorted) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2.0;
  }
}
