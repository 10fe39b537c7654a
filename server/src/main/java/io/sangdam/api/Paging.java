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
