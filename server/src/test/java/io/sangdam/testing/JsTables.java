package io.sangdam.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string tables of the web apps' sources ({@code admin-web/}), read as text: {@code key: 'value'} entries of
 * the object {@code lang: {...}} found after a given anchor. Enough for the apps' plain tables, not a JS parser.
 */
public final class JsTables {
  public static final Path WEB = Path.of("..", "admin-web");

  /** {@code key: 'value'}, the value consumed whole so that nothing inside it reads as a key. */
  private static final Pattern ENTRY = Pattern.compile(
      "([A-Za-z_$][\\w$]*|'[^']*')\\s*:\\s*('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|`(?:[^`\\\\]|\\\\.)*`)");

  private JsTables() {}

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of {@code lang: {...}}, the first after {@code anchor}: key to value, unquoted, in order. */
  public static Map<String, String> entries(String source, String anchor, String lang) {
    Map<String, String> entries = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(block(source, anchor, lang));
    while (m.find()) {
      entries.put(unquote(m.group(1)), unquote(m.group(2)).replace("\\'", "'"));
    }
    return entries;
  }

  /** The keys of {@code lang: {...}}, the first after {@code anchor}, in order and as often as each is written. */
  public static List<String> keys(String source, String anchor, String lang) {
    List<String> keys = new ArrayList<>();
    Matcher m = ENTRY.matcher(block(source, anchor, lang));
    while (m.find()) {
      keys.add(unquote(m.group(1)));
    }
    return keys;
  }

  /** The text of {@code lang: {...}}, the first after {@code anchor}, without its line comments. */
  private static String block(String source, String anchor, String lang) {
    int from = source.indexOf(anchor);
    if (from < 0) {
      throw new AssertionError("no " + anchor);
    }
    Matcher start = Pattern.compile("\\b" + lang + ": \\{").matcher(source);
    if (!start.find(from)) {
      throw new AssertionError("no " + lang + " table after " + anchor);
    }
    int depth = 1;
    int i = start.end();
    for (; i < source.length() && depth > 0; i++) {
      char c = source.charAt(i);
      if (c == '/' && source.charAt(i + 1) == '/') {
        i = source.indexOf('\n', i); // a comment, whose apostrophes quote nothing
      } else if (c == '\'' || c == '"' || c == '`') {
        i = source.indexOf(c, i + 1);
        while (source.charAt(i - 1) == '\\') {
          i = source.indexOf(c, i + 1);
        }
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
    }
    return source.substring(start.end(), i - 1).replaceAll("(?m)^\\s*//.*$", "");
  }

  private static String unquote(String s) {
    char first = s.charAt(0);
    return first == '\'' || first == '"' || first == '`' ? s.substring(1, s.length() - 1) : s;
  }
}
