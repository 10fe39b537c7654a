package io.sangdam.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bench's command line: {@code --name value} pairs. */
final class Arguments {
  private Arguments() {
  }

  /** The values by name (without the dashes); anything else is refused. */
  static Map<String, String> named(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      given.put(args[i].substring(2), args[i + 1]);
    }
    return given;
  }
}
