package io.sangdam.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hours in fixed instants; the dates are real calendar days of 2026 (June 5 is a Friday, June 8 a Monday). */
class BusinessHoursTest {
  private static final Json JSON = new Json();

  /** Weekdays with a lunch break in Seoul (UTC+9, no DST); Saturday and Sunday closed; Christmas off. */
  private static final BusinessHours SEOUL = hours("""
      {'timezone':'Asia/Seoul','weekly':{
        'MON':[['09:00','12:00'],['13:00','18:00']],'TUE':[['09:00','12:00'],['13:00','18:00']],
        'WED':[['09:00','12:00'],['13:00','18:00']],'THU':[['09:00','12:00'],['13:00','18:00']],
        'FRI':[['09:00','12:00'],['13:00','18:00']]},
       'holidays':['2026-12-25']}""");

  /** Writes JSON with single quotes, for readability. */
  private static BusinessHours hours(String json) {
    return BusinessHours.parse(JSON.readObject(json.replace('\'', '"')));
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  private static void assertRejected(ErrorCode code, String message, String json) {
    SangdamException e = assertThrows(SangdamException.class, () -> hours(json));
    assertEquals(code, e.code());
    assertEquals(message, e.getMessage());
  }

  @Test
  void rangesIncludeTheirStartAndExcludeTheirEnd() {
    assertFalse(SEOUL.isOpen(at("2026-06-07T23:59:59Z")), "Monday 08:59:59");
    assertTrue(SEOUL.isOpen(at("2026-06-08T00:00:00Z")), "Monday 09:00");
    assertTrue(SEOUL.isOpen(at("2026-06-08T02:59:59Z")), "Monday 11:59:59");
    assertFalse(SEOUL.isOpen(at("2026-06-08T03:00:00Z")), "Monday 12:00, lunch");
    assertFalse(SEOUL.isOpen(at("2026-06-08T03:59:59Z")), "Monday 12:59:59, lunch");
    assertTrue(SEOUL.isOpen(at("2026-06-08T04:00:00Z")), "Monday 13:00");
    assertTrue(SEOUL.isOpen(at("2026-06-08T08:59:59Z")), "Monday 17:59:59");
    assertFalse(SEOUL.isOpen(at("2026-06-08T09:00:00Z")), "Monday 18:00");
  }

  @Test
  void aDayMissingFromWeeklyIsClosedAllDay() {
    assertFalse(SEOUL.isOpen(at("2026-06-06T01:00:00Z")), "Saturday 10:00");
    assertFalse(SEOUL.isOpen(at("2026-06-07T05:00:00Z")), "Sunday 14:00");
  }

  @Test
  void aHolidayIsClosedAllDay() {
    assertTrue(SEOUL.isOpen(at("2026-12-24T01:00:00Z")), "Thursday 24 December 10:00");
    assertFalse(SEOUL.isOpen(at("2026-12-25T01:00:00Z")), "Friday 25 December 10:00");
    assertFalse(SEOUL.isOpen(at("2026-12-25T05:00:00Z")), "Friday 25 December 14:00");
  }

  @Test
  void theWeekdayIsTakenInTheCentersZone() {
    BusinessHours mondayMornings = hours("{'timezone':'Asia/Seoul','weekly':{'MON':[['08:00','12:00']]}}");
    assertTrue(mondayMornings.isOpen(at("2026-06-07T23:30:00Z")), "Sunday in UTC, Monday 08:30 in Seoul");
    assertFalse(mondayMornings.isOpen(at("2026-06-08T23:30:00Z")), "Monday in UTC, Tuesday 08:30 in Seoul");
  }

  @Test
  void nextOpeningFromFridayEveningIsMondayMorning() {
    assertEquals(Optional.of(at("2026-06-08T00:00:00Z")), SEOUL.nextOpening(at("2026-06-05T10:00:00Z")));
  }

  @Test
  void nextOpeningAtLunchIsTheAfternoonRange() {
    assertEquals(Optional.of(at("2026-06-08T04:00:00Z")), SEOUL.nextOpening(at("2026-06-08T03:30:00Z")));
  }

  @Test
  void nextOpeningSkipsHolidays() {
    // Thursday 24 December 19:00; Friday is Christmas, then the weekend.
    assertEquals(Optional.of(at("2026-12-28T00:00:00Z")), SEOUL.nextOpening(at("2026-12-24T10:00:00Z")));
  }

  @Test
  void nextOpeningWhenOpenIsNow() {
    Instant mondayMorning = at("2026-06-08T01:15:30.5Z");
    assertEquals(Optional.of(mondayMorning), SEOUL.nextOpening(mondayMorning));
  }

  @Test
  void hoursWithoutRangesNeverOpen() {
    BusinessHours never = hours("{'timezone':'Asia/Seoul','weekly':{'MON':[]}}");
    assertFalse(never.isOpen(at("2026-06-08T01:00:00Z")));
    assertEquals(Optional.empty(), never.nextOpening(at("2026-06-08T01:00:00Z")));
  }

  @Test
  void aRangeStartingInTheSpringForwardGapOpensWhenTheClocksJump() {
    // New York, 8 March 2026: at 02:00 EST the clocks jump to 03:00 EDT (07:00Z), so 02:30 never happens.
    BusinessHours ny = hours("{'timezone':'America/New_York','weekly':{'SUN':[['02:30','05:00']]}}");
    assertFalse(ny.isOpen(at("2026-03-08T06:59:59Z")), "01:59:59 EST");
    assertTrue(ny.isOpen(at("2026-03-08T07:00:00Z")), "03:00 EDT");
    assertEquals(Optional.of(at("2026-03-08T07:00:00Z")), ny.nextOpening(at("2026-03-08T06:00:00Z")));
  }

  @Test
  void aRangeInTheRepeatedFallBackHourOpensTwice() {
    // New York, 1 November 2026: at 02:00 EDT (06:00Z) the clocks go back to 01:00 EST.
    BusinessHours ny = hours("{'timezone':'America/New_York','weekly':{'SUN':[['01:00','01:30']]}}");
    assertEquals(Optional.of(at("2026-11-01T05:00:00Z")), ny.nextOpening(at("2026-11-01T04:00:00Z")), "01:00 EDT");
    assertEquals(Optional.of(at("2026-11-01T06:00:00Z")), ny.nextOpening(at("2026-11-01T05:45:00Z")), "01:00 EST");
  }

  @Test
  void twentyFourHundredEndsTheDay() {
    BusinessHours lateSaturday =
        hours("{'timezone':'UTC','weekly':{'SAT':[['20:00','24:00']],'SUN':[['00:00','24:00']]}}");
    assertTrue(lateSaturday.isOpen(at("2026-06-06T23:59:59.999Z")));
    assertTrue(lateSaturday.isOpen(at("2026-06-07T23:59:59.999Z")));
    assertFalse(lateSaturday.isOpen(at("2026-06-08T00:00:00Z")), "Monday");
    assertEquals("24:00", lateSaturday.toJson().get("weekly").get("SAT").get(0).get(1).textValue());
  }

  @Test
  void toJsonWritesTheCanonicalWireFormThatParsesBack() {
    BusinessHours parsed = hours("""
        {'timezone':'Asia/Seoul',
         'weekly':{'TUE':[['13:00','18:00'],['09:00','12:00']],'MON':[['09:00','18:00']],'SUN':[]},
         'holidays':['2026-12-25','2026-01-01','2026-12-25']}""");
    String expected = """
        {'timezone':'Asia/Seoul','weekly':{'MON':[['09:00','18:00']],'TUE':[['09:00','12:00'],['13:00','18:00']]},\
        'holidays':['2026-01-01','2026-12-25'],'outOfHours':'OFFLINE_FORM'}""".replace('\'', '"');
    assertEquals(expected, parsed.toJson().toString());
    assertEquals(parsed, BusinessHours.parse(JSON.readObject(parsed.toJson().toString())));
    assertEquals(BusinessHours.OutOfHours.ACCEPT,
        hours("{'timezone':'UTC','weekly':{},'outOfHours':'ACCEPT'}").outOfHours());
  }

  @Test
  void timezoneIsARequiredZoneId() {
    assertRejected(ErrorCode.MISSING_FIELD, "field 'timezone' is required", "{'weekly':{}}");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'timezone' must be a time zone ID such as Asia/Seoul",
        "{'timezone':'Mars/Olympus','weekly':{}}");
  }

  @Test
  void weeklyIsRequiredWithThreeLetterDays() {
    assertRejected(ErrorCode.MISSING_FIELD, "field 'weekly' is required", "{'timezone':'UTC'}");
    assertRejected(ErrorCode.INVALID_FIELD,
        "field 'weekly' must be an object with keys MON, TUE, WED, THU, FRI, SAT, SUN",
        "{'timezone':'UTC','weekly':[]}");
    assertRejected(ErrorCode.INVALID_FIELD,
        "field 'weekly' has unknown day 'MONDAY'; days are MON, TUE, WED, THU, FRI, SAT, SUN",
        "{'timezone':'UTC','weekly':{'MONDAY':[['09:00','18:00']]}}");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'weekly.MON' must be an array of [\"HH:mm\",\"HH:mm\"] pairs",
        "{'timezone':'UTC','weekly':{'MON':[['09:00']]}}");
  }

  @Test
  void timesAreTwoDigitHoursAndMinutes() {
    String why = "field 'weekly.MON' has time \"%s\", not HH:mm from 00:00 to 23:59 (or 24:00 as an end)";
    for (String bad : new String[] {"9:00", "25:00", "09:60", "09:00:00"}) {
      assertRejected(ErrorCode.INVALID_FIELD, why.formatted(bad),
          "{'timezone':'UTC','weekly':{'MON':[['" + bad + "','18:00']]}}");
    }
    assertRejected(ErrorCode.INVALID_FIELD, why.formatted("24:00"),
        "{'timezone':'UTC','weekly':{'MON':[['24:00','24:00']]}}");
  }

  @Test
  void aRangeEndsAfterItStarts() {
    assertRejected(ErrorCode.INVALID_FIELD,
        "field 'weekly.MON' is invalid: range 18:00-09:00 does not end after it starts",
        "{'timezone':'UTC','weekly':{'MON':[['18:00','09:00']]}}");
    assertRejected(ErrorCode.INVALID_FIELD,
        "field 'weekly.WED' is invalid: range 09:00-09:00 does not end after it starts",
        "{'timezone':'UTC','weekly':{'WED':[['09:00','09:00']]}}");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'weekly.MON' has end \"00:00\"; the end of the day is \"24:00\"",
        "{'timezone':'UTC','weekly':{'MON':[['22:00','00:00']]}}");
  }

  @Test
  void rangesOfOneDayMayTouchButNotOverlap() {
    assertRejected(ErrorCode.INVALID_FIELD,
        "field 'weekly.TUE' is invalid: ranges 09:00-13:30 and 13:00-18:00 overlap",
        "{'timezone':'UTC','weekly':{'TUE':[['13:00','18:00'],['09:00','13:30']]}}");
    BusinessHours touching = hours("{'timezone':'UTC','weekly':{'TUE':[['09:00','13:00'],['13:00','18:00']]}}");
    assertTrue(touching.isOpen(at("2026-06-09T13:00:00Z")));
  }

  @Test
  void holidaysAreAtMost366IsoDates() {
    assertRejected(ErrorCode.INVALID_FIELD, "field 'holidays' has \"2026-02-30\", not a date yyyy-MM-dd",
        "{'timezone':'UTC','weekly':{},'holidays':['2026-02-30']}");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'holidays' has \"25/12/2026\", not a date yyyy-MM-dd",
        "{'timezone':'UTC','weekly':{},'holidays':['25/12/2026']}");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'holidays' must be an array of dates yyyy-MM-dd",
        "{'timezone':'UTC','weekly':{},'holidays':'2026-12-25'}");
    String atMost = String.join(",", Collections.nCopies(366, "'2026-12-25'"));
    assertEquals(Set.of(LocalDate.of(2026, 12, 25)),
        hours("{'timezone':'UTC','weekly':{},'holidays':[" + atMost + "]}").holidays(), "duplicates stored once");
    assertRejected(ErrorCode.INVALID_FIELD, "field 'holidays' must have at most 366 dates",
        "{'timezone':'UTC','weekly':{},'holidays':[" + atMost + ",'2026-12-26']}");
  }

  @Test
  void outOfHoursIsOneOfTwoNames() {
    assertEquals(BusinessHours.OutOfHours.OFFLINE_FORM, hours("{'timezone':'UTC','weekly':{}}").outOfHours());
    assertRejected(ErrorCode.INVALID_FIELD, "field 'outOfHours' must be one of [OFFLINE_FORM, ACCEPT]",
        "{'timezone':'UTC','weekly':{},'outOfHours':'offline_form'}");
  }
}
