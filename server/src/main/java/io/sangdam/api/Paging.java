package io.sangdam.api;

import io.sangdam.protocol.Fields;
import java.util.List;

/**
 * Lists in pages: {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) items
 * from {@code offset} (default 0), in the list's own order. The answer stays a JSON array; a page
 * shorter than the limit is the last. A request with neither gets the whole list, as before paging.
 */
final class Paging {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  private Paging() {}

  static <T> List<T> page(Call call, List<T> all) {
    if (call.query("limit").isEmpty() && call.query("offset").isEmpty()) {
      return all;
    }
    int limit = number(call, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    int offset = number(call, "offset", 0, 0, Integer.MAX_VALUE);
    return offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + limit));
  }

  /**
   * The page a list the database pages itself serves: {@code limit} and {@code offset} as above, but
   * without them the first {@value #DEFAULT_LIMIT}, for a list that grows without end (a log, a history).
   */
  static Window window(Call call) {
    return new Window(number(call, "offset", 0, 0, Integer.MAX_VALUE), number(call, "limit", DEFAULT_LIMIT, 1,
        MAX_LIMIT));
  }

  record Window(int offset, int limit) {}

  /**
   * The page of a log read newest first by id: {@code limit} (1 to {@code max}, default 50) entries older than
   * {@code cursor}, an id this server gave as a page's next cursor (none: from the newest).
   */
  static Keyset keyset(Call call, int max) {
    int limit = call.query("limit").map(l -> {
      if (!l.matches("\\d{1,3}") || Integer.parseInt(l) < 1 || Integer.parseInt(l) > max) {
        throw Fields.invalid("limit", "must be between 1 and " + max);
      }
      return Integer.parseInt(l);
    }).orElse(50);
    Long before = call.query("cursor").map(c -> {
      if (!c.matches("\\d{1,18}")) {
        throw Fields.invalid("cursor", "is not a cursor this server gave");
      }
      return Long.parseLong(c);
    }).orElse(null);
    return new Keyset(limit, before);
  }

  record Keyset(int limit, Long before) {}

  private static int number(Call call, String name, int fallback, int min, int max) {
    return call.query(name).map(value -> {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below with the range
      }
      throw Fields.invalid(name, "must be a whole number from " + min + " to " + max);
    }).orElse(fallback);
  }
}
