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
  /** A key built from a prefix and a value: text(`channel${kind}`). */
  private static final Pattern BUILT = Pattern.compile("text\\(`(\\w+)\\$\\{");

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyKeyIsInBothLanguagesAndEveryKeyUsedIsDefined(String app) {
    String i18n = read(WEB.resolve(app).resolve("i18n.js"));
    Set<String> korean = JsTables.entries(i18n, "STRINGS", "ko").keySet();
    Set<String> english = JsTables.entries(i18n, "STRINGS", "en").keySet();
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
    Set<String> defined = JsTables.entries(read(WEB.resolve(app).resolve("i18n.js")), "STRINGS", "ko").keySet();
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

  /** The app's JS (but its string table) and HTML, and the shared modules it may hand its text function to. */
  private static List<String> sources(String app) {
    try (Stream<Path> own = Files.list(WEB.resolve(app)); Stream<Path> shared = Files.list(WEB.resolve("shared"))) {
      return Stream.concat(own, shared)
          .filter(p -> p.toString().endsWith(".js") || p.toString().endsWith(".html"))
          .filter(p -> !p.equals(WEB.resolve(app).resolve("i18n.js")))
          .sorted().map(WebTextKeysTest::read).toList();
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
