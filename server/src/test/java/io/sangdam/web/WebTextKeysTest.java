package io.sangdam.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.testing.JsTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every string key of each web app (its {@code i18n.js}, looked up with {@code text('key')}, {@code t(lang,
 * 'key')} and {@code data-t="key"}) exists in Korean and in English, and every key defined is used. Read from
 * the sources: a key missing in English would show Korean on the English screen, a key missing in both the key.
 */
class WebTextKeysTest {
  private static final Path WEB = JsTables.WEB;

  /** A lookup with a literal key: text('k'), app.text('k'), t(state.lang, 'k'), data-t="k", dataset.t = 'k'. */
  private static final List<Pattern> LOOKUPS = List.of(
      Pattern.compile("\\btext\\(\\s*'([^']+)'"),
      Pattern.compile("\\bt\\(\\s*[\\w.]+\\s*,\\s*'([^']+)'"),
      Pattern.compile("data-t=\"([^\"]+)\""),
      Pattern.compile("dataset\\.t\\s*=\\s*'([^']+)'"));
  /** A key built from a prefix and a value: text(`channel${kind}`), `auditAction.${action}`. */
  private static final Pattern BUILT = Pattern.compile("`([\\w.]+)\\$\\{");
  /** A string table of an app: {@code export const STRINGS = {ko: {...}, en: {...}}}, or a part of it in a module. */
  private static final Pattern TABLE = Pattern.compile("export const (\\w*STRINGS) = \\{");
  /** A shared module an app's module imports. */
  private static final Pattern SHARED_IMPORT = Pattern.compile("from '(?:\\.\\./shared|\\.)/([\\w-]+\\.js)'");

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyKeyIsInBothLanguagesAndEveryKeyUsedIsDefined(String app) {
    Set<String> korean = table(app, "ko");
    Set<String> english = table(app, "en");
    assertEquals(new TreeSet<>(korean), new TreeSet<>(english), app + ": the same keys in Korean and English");

    Set<String> used = new TreeSet<>();
    for (String source : sources(app)) {
      for (Pattern lookup : LOOKUPS) {
        Matcher m = lookup.matcher(source);
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    used.removeAll(korean);
    assertEquals(Set.of(), used, app + ": keys looked up that " + app + "/i18n.js does not define");
  }

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyKeyDefinedIsUsed(String app) {
    Set<String> defined = table(app, "ko");
    String all = String.join("\n", sources(app));
    Set<String> prefixes = new LinkedHashSet<>();
    Matcher built = BUILT.matcher(all);
    while (built.find()) {
      prefixes.add(built.group(1));
    }
    Set<String> unused = new TreeSet<>();
    for (String key : defined) {
      boolean quoted = Pattern.compile("['\"`]" + Pattern.quote(key) + "['\"`]").matcher(all).find();
      boolean inList = Pattern.compile("=\"(?:[^\"]*\\s)?" + Pattern.quote(key) + "(?:\\s[^\"]*)?\"").matcher(all).find();
      boolean fromPrefix = prefixes.stream().anyMatch(p -> key.startsWith(p) && key.length() > p.length());
      if (!quoted && !inList && !fromPrefix && !SERVER_VALUES.contains(key)) {
        unused.add(key);
      }
    }
    assertEquals(Set.of(), unused, app + ": keys defined in " + app + "/i18n.js that nothing uses");
  }

  /** Keys that are values the server sends and the apps look up as they come (text(c.state), text(user.role)). */
  private static final Set<String> SERVER_VALUES = Set.of("BOT", "WAITING", "ASSIGNED", "HOLD", "CLOSED", "ABANDONED",
      "ONLINE", "AWAY", "OFFLINE", "HQ_ADMIN", "TENANT_ADMIN", "CENTER_MANAGER", "AGENT");

  /** The keys of an app's string tables (i18n.js, and the modules whose tables it adds) in {@code lang}. */
  private static Set<String> table(String app, String lang) {
    Set<String> keys = new TreeSet<>();
    for (Path file : files(WEB.resolve(app))) {
      Matcher m = TABLE.matcher(read(file));
      while (m.find()) {
        keys.addAll(JsTables.entries(read(file), "export const " + m.group(1) + " = {", lang).keySet());
      }
    }
    return keys;
  }

  /**
   * The app's JS (but its string tables) and HTML, and the shared modules it imports (and those import), to which
   * it may hand its text function.
   */
  private static List<String> sources(String app) {
    List<Path> own = files(WEB.resolve(app)).stream().filter(p -> !TABLE.matcher(read(p)).find()).toList();
    Set<Path> shared = new TreeSet<>();
    List<Path> reading = own;
    while (!reading.isEmpty()) {
      List<Path> found = reading.stream().flatMap(p -> SHARED_IMPORT.matcher(read(p)).results()
              .map(m -> (p.getParent().endsWith("shared") || m.group().contains("../shared") ? WEB.resolve("shared")
                  : p.getParent()).resolve(m.group(1))))
          .filter(p -> p.getParent().endsWith("shared") && Files.exists(p) && shared.add(p)).toList();
      reading = found;
    }
    return Stream.concat(own.stream(), shared.stream()).map(WebTextKeysTest::read).toList();
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.toString().endsWith(".js") || p.toString().endsWith(".html")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    return JsTables.read(file);
  }

  @Test
  void theSharedTablesHaveBothLanguagesAndASentenceForEveryErrorCode() {
    String errors = read(WEB.resolve("shared").resolve("errors.js"));
    Set<String> codes = JsTables.entries(errors, "BY_CODE", "ko").keySet();
    assertEquals(codes, JsTables.entries(errors, "BY_CODE", "en").keySet());
    Set<String> wire = new TreeSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    wire.removeAll(codes);
    assertEquals(Set.of(), wire, "error codes without a sentence in shared/errors.js");
    assertTrue(codes.contains("other"), "a sentence for a code the table does not know");
    assertEquals(JsTables.entries(errors, "BY_FIELD", "ko").keySet(), JsTables.entries(errors, "BY_FIELD", "en").keySet());

    String said = read(WEB.resolve("shared").resolve("system-messages.js"));
    assertEquals(JsTables.entries(said, "WORDING", "ko").keySet(), JsTables.entries(said, "WORDING", "en").keySet());
    for (String reader : List.of("customer", "staff")) {
      Set<String> korean = JsTables.entries(said, reader + ": {", "ko").keySet();
      assertEquals(korean, JsTables.entries(said, reader + ": {", "en").keySet(), reader);
      assertTrue(korean.containsAll(List.of("agent", "customer", "timeout", "abandoned", "bot", "other")),
          reader + ": every reason of closed (docs/protocol.md 4.4), and a sentence for another");
    }
  }
}
