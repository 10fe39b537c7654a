package io.sangdam.api;

import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Fields;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Days in query parameters: dates such as {@code 2026-11-24}, in a time zone the caller may name. */
final class Dates {
  static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Seoul");

  private Dates() {}

  static Optional<LocalDate> date(Call call, String name) {
    return call.query(name).map(value -> {
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw Fields.invalid(name, "must be a date such as 2026-11-24");
      }
    });
  }

  static LocalDate requiredDate(Call call, String name) {
    return date(call, name).orElseThrow(() -> Fields.missing(name));
  }

  /** The {@code timezone} parameter, else Korea's. */
  static ZoneId zone(Call call) {
    return call.query("timezone").map(Dates::zone).orElse(DEFAULT_ZONE);
  }

  /** The {@code timezone} parameter, else the center's, else the tenant's first center's, else Korea's. */
  static ZoneId zone(Call call, Directory directory, long tenantId, Center center) {
    return call.query("timezone").map(Dates::zone)
        .orElseGet(() -> (center != null ? List.of(center) : directory.centers(tenantId)).stream().findFirst()
            .map(c -> zone(c.timezone())).orElse(DEFAULT_ZONE));
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw Fields.invalid("timezone", "must be a time zone such as Asia/Seoul");
    }
  }
}
