package io.sangdam.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.testing.JsTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
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
 * Every string key of each web app (its {@code i18n.js} and the tables it adds, and the tables of the shared modules
 * it imports: looked up with {@code text('key')}, {@code t(lang, 'key')} and {@code data-t="key"}) exists in Korean
 * and in English, is written once, and is used; every key looked up exists. Read from the sources: a key missing in
 * English would show Korean on the English screen, a key missing in both the key. A sentence lives in one table:
 * the refusal sentences (problem*) only in shared/problems.js, so a table copied into an app again fails here.
 */
class WebTextKeysTest {
  private static final Path WEB = JsTables.WEB;
  private static final Path SHARED = WEB.resolve("shared");

  /** A lookup with a literal key: text('k'), app.text('k'), t(state.lang, 'k'), data-t="k", dataset.t = 'k'. */
  private static final List<Pattern> LOOKUPS = List.of(
      Pattern.compile("\\btext\\(\\s*'([^']+)'"),
      Pattern.compile("\\bt\\(\\s*[\\w.]+\\s*,\\s*'([^']+)'"),
      Pattern.compile("data-t=\"([^\"]+)\""),
      Pattern.compile("dataset\\.t\\s*=\\s*'([^']+)'"));
  /** A key built from a prefix and a value: text(`channel${kind}`), `auditAction.${action}`. */
  private static final Pattern BUILT = Pattern.compile("`([\\w.]+)\\$\\{");
  /**
   * A string table: {@code export const STRINGS = {ko: {...}, en: {...}}} of an app, a part of it in a module
   * (DESK_STRINGS), or a shared module's (PROBLEM_STRINGS).
   */
  private static final Pattern TABLE = Pattern.compile("export const (\\w*STRINGS) = \\{");
  /** A shared module an app's module imports. */
  private static final Pattern SHARED_IMPORT = Pattern.compile("from '(?:\\.\\./shared|\\.)/([\\w-]+\\.js)'");
  /** A refusal sentence's key, as shared/problems.js names them and chooses them by code. */
  private static final Pattern PROBLEM_KEY = Pattern.compile("['\"`](problem[A-Z]\\w*)['\"`]");

  /** A string table: the file it is in and its name. */
  private record Table(Path file, String name) {
    List<String> keys(String lang) {
      return JsTables.keys(read(file), "export const " + name + " = {", lang);
    }

    @Override
    public String toString() {
      return WEB.relativize(file) + " " + name;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyTableHasTheSameKeysInBothLanguagesEachWrittenOnce(String app) {
    for (Table table : Stream.concat(tables(appFiles(app)).stream(), tables(sharedImports(app)).stream()).toList()) {
      List<String> korean = table.keys("ko");
      List<String> english = table.keys("en");
      assertEquals(new TreeSet<>(korean), new TreeSet<>(english), table + ": the same keys in Korean and English");
      assertEquals(Set.of(), repeated(korean), table + ": keys written twice in Korean");
      assertEquals(Set.of(), repeated(english), table + ": keys written twice in English");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void noKeyIsInTwoTablesAndTheRefusalSentencesAreOnlyShared(String app) {
    List<String> all = new ArrayList<>();
    for (Table table : Stream.concat(tables(appFiles(app)).stream(), tables(sharedImports(app)).stream()).toList()) {
      all.addAll(new LinkedHashSet<>(table.keys("ko")));
    }
    assertEquals(Set.of(), repeated(all), app + ": keys in two of its tables (its own and the shared ones it imports)");
    Set<String> problems = new TreeSet<>();
    for (Table table : tables(appFiles(app))) {
      table.keys("ko").stream().filter(k -> k.startsWith("problem")).forEach(problems::add);
    }
    assertEquals(Set.of(), problems, app + ": refusal sentences belong in shared/problems.js only");
  }

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyKeyLookedUpIsDefined(String app) {
    Set<String> own = keys(tables(appFiles(app)));
    Set<String> withShared = new TreeSet<>(own);
    withShared.addAll(keys(tables(sharedImports(app))));
    // The app's modules look up in the app's table; a shared module may be handed the app's text function.
    Set<String> missing = lookedUp(appFiles(app).stream().filter(p -> !hasTable(p)).toList());
    missing.removeAll(own);
    assertEquals(Set.of(), missing, app + ": keys looked up that " + app + "'s tables do not define");
    Set<String> missingShared = lookedUp(sharedImports(app));
    missingShared.removeAll(withShared);
    assertEquals(Set.of(), missingShared, app + ": keys the shared modules it imports look up that nothing defines");
  }

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyKeyDefinedIsUsed(String app) {
    Set<String> defined = keys(tables(appFiles(app)));
    defined.addAll(keys(tables(sharedImports(app))));
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
    assertEquals(Set.of(), unused, app + ": keys defined in its tables that nothing uses");
  }

  /** Keys that are values the server sends and the apps look up as they come (text(c.state), text(user.role)). */
  private static final Set<String> SERVER_VALUES = Set.of("BOT", "WAITING", "ASSIGNED", "HOLD", "CLOSED", "ABANDONED",
      "ONLINE", "AWAY", "OFFLINE", "HQ_ADMIN", "TENANT_ADMIN", "CENTER_MANAGER", "AGENT");

  @ParameterizedTest
  @ValueSource(strings = {"widget", "agent", "admin"})
  void everyAppSaysRefusalsWithTheSharedTable(String app) {
    assertTrue(sharedImports(app).contains(SHARED.resolve("problems.js")), app + " imports shared/problems.js");
    assertTrue(sharedImports(app).contains(SHARED.resolve("dom.js")), app + " imports shared/dom.js");
  }

  @Test
  void theRefusalTableHasASentenceForEveryErrorCode() {
    String problems = read(SHARED.resolve("problems.js"));
    Set<String> sentences = new TreeSet<>(JsTables.keys(problems, "export const PROBLEM_STRINGS = {", "ko"));
    Set<String> staff = JsTables.entries(problems, "const BY_CODE = {", "staff").keySet();
    Set<String> wire = new TreeSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    assertEquals(wire, new TreeSet<>(staff), "a sentence for every error code, as staff read it");
    Set<String> customer = new TreeSet<>(JsTables.entries(problems, "const BY_CODE = {", "customer").keySet());
    customer.removeAll(wire);
    assertEquals(Set.of(), customer, "customer sentences for codes the server has");

    // Every refusal sentence chosen anywhere (by code, by field, by status, by name) is in the table.
    Set<String> chosen = new TreeSet<>();
    for (Path file : Stream.of("shared", "widget", "agent", "admin").flatMap(d -> files(WEB.resolve(d)).stream()).toList()) {
      PROBLEM_KEY.matcher(read(file)).results().forEach(m -> chosen.add(m.group(1)));
    }
    chosen.removeAll(sentences);
    assertEquals(Set.of(), chosen, "refusal sentences chosen that shared/problems.js does not have");
  }

  @Test
  void theSystemMessagesHaveBothLanguages() {
    String said = read(SHARED.resolve("system-messages.js"));
    assertEquals(JsTables.entries(said, "WORDING", "ko").keySet(), JsTables.entries(said, "WORDING", "en").keySet());
    for (String reader : List.of("customer", "staff")) {
      Set<String> korean = JsTables.entries(said, reader + ": {", "ko").keySet();
      assertEquals(korean, JsTables.entries(said, reader + ": {", "en").keySet(), reader);
      assertTrue(korean.containsAll(List.of("agent", "customer", "timeout", "abandoned", "bot", "other")),
          reader + ": every reason of closed (docs/protocol.md 4.4), and a sentence for another");
    }
  }

  /** The string tables in {@code files}. */
  private static List<Table> tables(List<Path> files) {
    List<Table> tables = new ArrayList<>();
    for (Path file : files) {
      Matcher m = TABLE.matcher(read(file));
      while (m.find()) {
        tables.add(new Table(file, m.group(1)));
      }
    }
    return tables;
  }

  private static Set<String> keys(List<Table> tables) {
    Set<String> keys = new TreeSet<>();
    for (Table table : tables) {
      keys.addAll(table.keys("ko"));
    }
    return keys;
  }

  private static Set<String> lookedUp(List<Path> files) {
    Set<String> used = new TreeSet<>();
    for (Path file : files) {
      for (Pattern lookup : LOOKUPS) {
        lookup.matcher(read(file)).results().forEach(m -> used.add(m.group(1)));
      }
    }
    return used;
  }

  private static Set<String> repeated(List<String> keys) {
    Set<String> seen = new HashSet<>();
    Set<String> twice = new TreeSet<>();
    for (String key : keys) {
      if (!seen.add(key)) {
        twice.add(key);
      }
    }
    return twice;
  }

  private static boolean hasTable(Path file) {
    return TABLE.matcher(read(file)).find();
  }

  private static List<Path> appFiles(String app) {
    return files(WEB.resolve(app));
  }

  /**
   * The app's JS (but its string tables) and HTML, and the shared modules it imports (and those import), to which
   * it may hand its text function.
   */
  private static List<String> sources(String app) {
    List<Path> own = appFiles(app).stream().filter(p -> !hasTable(p)).toList();
    return Stream.concat(own.stream(), sharedImports(app).stream()).map(WebTextKeysTest::read).toList();
  }

  /** The shared modules the app's modules import, and those import in turn. */
  private static List<Path> sharedImports(String app) {
    Set<Path> shared = new TreeSet<>();
    List<Path> reading = appFiles(app);
    while (!reading.isEmpty()) {
      reading = reading.stream().flatMap(p -> SHARED_IMPORT.matcher(read(p)).results()
              .map(m -> (p.getParent().endsWith("shared") || m.group().contains("../shared") ? SHARED
                  : p.getParent()).resolve(m.group(1))))
          .filter(p -> p.getParent().endsWith("shared") && Files.exists(p) && shared.add(p)).toList();
    }
    return List.copyOf(shared);
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
}
