package io.sangdam.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the business-hours parser. Any body is read or refused with {@code missing_field} or {@code invalid_field}
 * (any other exception is a bug); hours read back from their own JSON form are equal; and {@code nextOpening} is
 * the first open instant: open itself, at or after the asked instant, within 400 days, with no range start or
 * clock change before it that is open.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz BusinessHoursFuzzTest} fuzzes.
 */
class BusinessHoursFuzzTest {
  private static final Json JSON = new Json();
  private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.MISSING_FIELD, ErrorCode.INVALID_FIELD);
  /** Zones with the awkward cases: DST both ways, half-hour DST, a skipped day, offsets written as IDs. */
  private static final List<String> ZONES = List.of("Asia/Seoul", "America/New_York", "Europe/London",
      "Australia/Lord_Howe", "Pacific/Apia", "America/Santiago", "Africa/Casablanca", "America/St_Johns", "UTC",
      "+05:30", "UTC+9", "GMT-03:30", "Asia/Kathmandu", "Antarctica/Troll", "Seoul", "");
  private static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "mon", "HOL");
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  /** Any JSON text as a {@code PUT .../hours} body. */
  @FuzzTest
  void parsesAnyBody(FuzzedDataProvider data) {
    JsonNode body;
    try {
      body = JSON.readObject(data.consumeRemainingAsString());
    } catch (SangdamException e) {
      assertEquals(ErrorCode.BAD_JSON, e.code());
      return;
    }
    parseAndCheck(body, EARLIEST.plusSeconds(data.consumeLong(0, LATEST.getEpochSecond())));
  }

  /** Bodies shaped like hours, mostly valid, so the fuzzer reaches round trips and openings. */
  @FuzzTest
  void findsOpenings(FuzzedDataProvider data) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("timezone", data.consumeBoolean() ? data.pickValue(ZONES) : data.consumeString(20));
    ObjectNode weekly = body.putObject("weekly");
    int days = data.consumeInt(0, 7);
    for (int d = 0; d < days; d++) {
      ArrayNode ranges = weekly.putArray(data.pickValue(DAYS));
      int count = data.consumeInt(0, 4);
      for (int r = 0; r < count; r++) {
        ranges.addArray().add(time(data)).add(time(data));
      }
    }
    if (data.consumeBoolean()) {
      ArrayNode holidays = body.putArray("holidays");
      int count = data.consumeInt(0, 5);
      for (int h = 0; h < count; h++) {
        holidays.add(data.consumeBoolean()
            ? LocalDate.of(data.consumeInt(1970, 2100), data.consumeInt(1, 12), data.consumeInt(1, 28)).toString()
            : data.consumeString(12));
      }
    }
    if (data.consumeBoolean()) {
      body.put("outOfHours", data.pickValue(List.of("OFFLINE_FORM", "ACCEPT", "accept", "")));
    }
    parseAndCheck(body, EARLIEST.plusSeconds(data.consumeLong(0, LATEST.getEpochSecond())));
  }

  private static String time(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 5)) {
      case 0 -> "24:00";
      case 1 -> data.consumeString(6);
      default -> String.format("%02d:%02d", data.consumeInt(0, 23), data.pickValue(List.of(0, 30, 59, 1)));
    };
  }

  private static void parseAndCheck(JsonNode body, Instant at) {
    BusinessHours hours;
    try {
      hours = BusinessHours.parse(body);
    } catch (SangdamException e) {
      assertTrue(REFUSALS.contains(e.code()), () -> "refused with " + e.code() + ": " + e.getMessage());
      return;
    }
    ObjectNode written = hours.toJson();
    BusinessHours reread = BusinessHours.parse(JSON.readObject(written.toString()));
    assertEquals(hours, reread, () -> "read back from " + written);
    assertEquals(written, reread.toJson());
    checkNextOpening(hours, at);
  }

  private static void checkNextOpening(BusinessHours hours, Instant at) {
    Optional<Instant> next = hours.nextOpening(at);
    if (hours.isOpen(at)) {
      assertEquals(Optional.of(at), next, "open now opens now");
    }
    Instant until = next.orElse(at.plus(Duration.ofDays(400)));
    if (next.isPresent()) {
      Instant opening = next.get();
      assertTrue(hours.isOpen(opening), () -> "closed at its next opening " + opening + " of " + hours);
      assertFalse(opening.isBefore(at) || opening.isAfter(until), () -> opening + " asked at " + at);
      if (opening.isAfter(at)) {
        assertFalse(hours.isOpen(opening.minusNanos(1)), () -> "already open before " + opening + " of " + hours);
      }
    }
    // Openness only changes at a range's start or end (local time) or at a clock change: were any of those in
    // [at, until) open, the opening was earlier.
    ZoneId zone = hours.zone();
    for (LocalDate date = at.atZone(zone).toLocalDate().minusDays(1);
        !date.isAfter(until.atZone(zone).toLocalDate()); date = date.plusDays(1)) {
      for (BusinessHours.Range range : hours.weekly().getOrDefault(date.getDayOfWeek(), List.of())) {
        checkClosed(hours, date.atTime(range.start()).atZone(zone).toInstant(), at, until);
      }
    }
    ZoneOffsetTransition change = zone.getRules().nextTransition(at);
    while (change != null && change.getInstant().isBefore(until)) {
      checkClosed(hours, change.getInstant(), at, until);
      change = zone.getRules().nextTransition(change.getInstant());
    }
  }

  private static void checkClosed(BusinessHours hours, Instant candidate, Instant at, Instant until) {
    if (!candidate.isBefore(at) && candidate.isBefore(until) && hours.isOpen(candidate)) {
      fail("open at " + candidate + ", before the next opening " + until + " found from " + at + ": " + hours.toJson());
    }
  }
}
