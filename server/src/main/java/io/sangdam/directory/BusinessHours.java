package io.sangdam.directory;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.protocol.Fields;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a center takes chats: weekly ranges of local time in its zone, minus holidays. A day without ranges is closed
 * all day. A center with no hours set is always open; it holds no instance of this record. The wire and stored form
 * is the {@code PUT .../hours} body of PROTOCOL.md, read by {@link #parse} and written by {@link #toJson}.
 */
public record BusinessHours(ZoneId zone, Map<DayOfWeek, List<Range>> weekly, Set<LocalDate> holidays,
    OutOfHours outOfHours) {

  /** What a customer starting a chat out of hours gets. */
  public enum OutOfHours {
    /** The start is refused with {@code center_closed}; the widget offers its offline form. */
    OFFLINE_FORM,
    /** The chat waits in its queue until an agent takes it. */
    ACCEPT
  }

  /**
   * Open from {@code start} (inclusive) to {@code end} (exclusive), both whole minutes. An {@code end} of 00:00 means
   * midnight at the end of the day, written "24:00" on the wire: a range cannot end before it starts, so 00:00 is
   * free to carry that meaning and no range needs to cross midnight.
   */
  public record Range(LocalTime start, LocalTime end) {
    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    public Range {
      requireNonNull(start, "start");
      requireNonNull(end, "end");
      // Whole minutes only, so toJson's "HH:mm" says exactly what the range holds.
      if (!start.equals(start.truncatedTo(ChronoUnit.MINUTES)) || !end.equals(end.truncatedTo(ChronoUnit.MINUTES))) {
        throw new IllegalArgumentException("range " + start + "-" + wireEnd(end) + " is not in whole minutes");
      }
      if (start.toNanoOfDay() >= endNanoOfDay(end)) {
        throw new IllegalArgumentException("range " + start + "-" + wireEnd(end) + " does not end after it starts");
      }
    }

    public boolean contains(LocalTime time) {
      return !time.isBefore(start) && time.toNanoOfDay() < endNanoOfDay(end);
    }

    /** Only meaningful when {@code later} does not start before this range. */
    boolean overlapsLater(Range later) {
      return later.start.toNanoOfDay() < endNanoOfDay(end);
    }

    private static long endNanoOfDay(LocalTime end) {
      return end.equals(LocalTime.MIDNIGHT) ? DAY_NANOS : end.toNanoOfDay();
    }

    /** An end as written on the wire: "HH:mm", or "24:00" for the end of the day. */
    static String wireEnd(LocalTime end) {
      return end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString();
    }

    /** As in error messages: "09:00-24:00". */
    @Override
    public String toString() {
      return start + "-" + wireEnd(end);
    }
  }

  /** How far {@link #nextOpening} looks: a year of holidays and then some. */
  private static final Duration SEARCH_LIMIT = Duration.ofDays(400);
  private static final int MAX_HOLIDAYS = 366;
  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
  private static final String DAY_KEYS = "MON, TUE, WED, THU, FRI, SAT, SUN";

  public BusinessHours {
    requireNonNull(zone, "zone");
    requireNonNull(weekly, "weekly");
    requireNonNull(holidays, "holidays");
    requireNonNull(outOfHours, "outOfHours");
    // An empty day and a missing day both mean closed; keeping only the second makes equals and toJson canonical.
    EnumMap<DayOfWeek, List<Range>> days = new EnumMap<>(DayOfWeek.class);
    weekly.forEach((day, ranges) -> {
      if (!ranges.isEmpty()) {
        days.put(day, sortedWithoutOverlap(ranges));
      }
    });
    weekly = Collections.unmodifiableMap(days);
    holidays = Set.copyOf(holidays);
  }

  /** Reads the wire form, failing with {@code missing_field} or {@code invalid_field} naming the field at fault. */
  public static BusinessHours parse(JsonNode body) {
    Fields fields = new Fields(requireNonNull(body, "body"));
    ZoneId zone;
    try {
      zone = ZoneId.of(fields.string("timezone", 64));
    } catch (DateTimeException e) {
      throw Fields.invalid("timezone", "must be a time zone ID such as Asia/Seoul");
    }
    if (!fields.has("weekly")) {
      throw Fields.missing("weekly");
    }
    JsonNode weeklyNode = body.get("weekly");
    if (!weeklyNode.isObject()) {
      throw Fields.invalid("weekly", "must be an object with keys " + DAY_KEYS);
    }
    Map<DayOfWeek, List<Range>> weekly = new EnumMap<>(DayOfWeek.class);
    for (Map.Entry<String, JsonNode> entry : weeklyNode.properties()) {
      DayOfWeek day = dayOf(entry.getKey()).orElseThrow(
          () -> Fields.invalid("weekly", "has unknown day '" + entry.getKey() + "'; days are " + DAY_KEYS));
      weekly.put(day, parseDay("weekly." + entry.getKey(), entry.getValue()));
    }
    OutOfHours outOfHours = fields.has("outOfHours")
        ? fields.oneOf("outOfHours", OutOfHours.class) : OutOfHours.OFFLINE_FORM;
    return new BusinessHours(zone, weekly, parseHolidays(body.get("holidays")), outOfHours);
  }

  private static List<Range> parseDay(String field, JsonNode pairs) {
    if (!pairs.isArray()) {
      throw Fields.invalid(field, "must be an array of [\"HH:mm\",\"HH:mm\"] pairs");
    }
    List<Range> ranges = new ArrayList<>();
    // Range and the constructor own the order and overlap rules; applying them here lets the error name the day.
    try {
      for (JsonNode pair : pairs) {
        if (!pair.isArray() || pair.size() != 2) {
          throw Fields.invalid(field, "must be an array of [\"HH:mm\",\"HH:mm\"] pairs");
        }
        ranges.add(new Range(parseTime(field, pair.get(0), false), parseTime(field, pair.get(1), true)));
      }
      return sortedWithoutOverlap(ranges);
    } catch (IllegalArgumentException e) {
      throw Fields.invalid(field, "is invalid: " + e.getMessage());
    }
  }

  private static LocalTime parseTime(String field, JsonNode node, boolean end) {
    String text = node.isTextual() ? node.textValue() : "";
    if (end && text.equals("24:00")) {
      return LocalTime.MIDNIGHT;
    }
    // Range holds the end of the day as 00:00, so an end written "00:00" would silently mean 24:00.
    if (end && text.equals("00:00")) {
      throw Fields.invalid(field, "has end \"00:00\"; the end of the day is \"24:00\"");
    }
    if (!HH_MM.matcher(text).matches()) {
      throw Fields.invalid(field, "has time " + node + ", not HH:mm from 00:00 to 23:59 (or 24:00 as an end)");
    }
    return LocalTime.parse(text);
  }

  private static Set<LocalDate> parseHolidays(JsonNode node) {
    if (node == null || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw Fields.invalid("holidays", "must be an array of dates yyyy-MM-dd");
    }
    if (node.size() > MAX_HOLIDAYS) {
      throw Fields.invalid("holidays", "must have at most " + MAX_HOLIDAYS + " dates");
    }
    Set<LocalDate> holidays = new HashSet<>();
    for (JsonNode date : node) {
      try {
        holidays.add(LocalDate.parse(date.isTextual() ? date.textValue() : ""));
      } catch (DateTimeParseException e) {
        throw Fields.invalid("holidays", "has " + date + ", not a date yyyy-MM-dd");
      }
    }
    return holidays;
  }

  /** The wire form; {@link #parse} reads it back to an equal record. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("timezone", zone.getId());
    ObjectNode days = json.putObject("weekly");
    weekly.forEach((day, ranges) -> {
      ArrayNode pairs = days.putArray(key(day));
      for (Range range : ranges) {
        pairs.addArray().add(range.start().toString()).add(Range.wireEnd(range.end()));
      }
    });
    ArrayNode dates = json.putArray("holidays");
    holidays.stream().sorted().forEach(date -> dates.add(date.toString()));
    json.put("outOfHours", outOfHours.name());
    return json;
  }

  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    return !holidays.contains(local.toLocalDate())
        && weekly.getOrDefault(local.getDayOfWeek(), List.of()).stream().anyMatch(r -> r.contains(local.toLocalTime()));
  }

  /**
   * {@code at} if open then, else the first later instant that is open, looking at most 400 days ahead; empty if
   * it does not open in that time.
   */
  public Optional<Instant> nextOpening(Instant at) {
    ZoneRules rules = zone.getRules();
    Instant limit = at.plus(SEARCH_LIMIT);
    // Between two offset changes local time runs evenly, so the next opening there is the next range start. At an
    // offset change local time jumps, so the change itself can be the opening: a range starting in the
    // spring-forward gap opens when the clocks jump past its start, and a fall-back hour can reopen a range.
    Instant from = at;
    while (from.isBefore(limit)) {
      if (isOpen(from)) {
        return Optional.of(from);
      }
      ZoneOffsetTransition change = rules.nextTransition(from);
      Instant until = change == null || change.getInstant().isAfter(limit) ? limit : change.getInstant();
      ZoneOffset offset = rules.getOffset(from);
      Optional<LocalDateTime> start =
          firstRangeStart(LocalDateTime.ofInstant(from, offset), LocalDateTime.ofInstant(until, offset));
      if (start.isPresent()) {
        return Optional.of(start.get().toInstant(offset));
      }
      from = until;
    }
    return Optional.empty();
  }

  /** The earliest start of a range after {@code after} and before {@code before}, skipping holidays. */
  private Optional<LocalDateTime> firstRangeStart(LocalDateTime after, LocalDateTime before) {
    for (LocalDate date = after.toLocalDate(); !date.isAfter(before.toLocalDate()); date = date.plusDays(1)) {
      if (holidays.contains(date)) {
        continue;
      }
      for (Range range : weekly.getOrDefault(date.getDayOfWeek(), List.of())) {
        LocalDateTime start = date.atTime(range.start());
        if (!start.isBefore(before)) {
          return Optional.empty();
        }
        if (start.isAfter(after)) {
          return Optional.of(start);
        }
      }
    }
    return Optional.empty();
  }

  private static List<Range> sortedWithoutOverlap(List<Range> ranges) {
    List<Range> sorted = ranges.stream().sorted(Comparator.comparing(Range::start)).toList();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i - 1).overlapsLater(sorted.get(i))) {
        throw new IllegalArgumentException("ranges " + sorted.get(i - 1) + " and " + sorted.get(i) + " overlap");
      }
    }
    return sorted;
  }

  /** The wire key of a day: MON to SUN. */
  private static String key(DayOfWeek day) {
    return day.name().substring(0, 3);
  }

  private static Optional<DayOfWeek> dayOf(String key) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (key(day).equals(key)) {
        return Optional.of(day);
      }
    }
    return Optional.empty();
  }
}
