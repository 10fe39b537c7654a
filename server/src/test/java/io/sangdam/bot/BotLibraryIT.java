package io.sangdam.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.bot.scenario.FaqMatcher;
import io.sangdam.bot.scenario.InvalidScenarioException;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.changes.LocalChanges;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcChannelStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bot's store and the library every node reads: the most specific entry greets, a saved version is what new
 * conversations get while old versions stay readable, nothing crosses tenants, the FAQ answers as the engine asks it,
 * and a change this node never heard of is read after {@link CachedBotLibrary#STALE_AFTER}.
 */
@ExtendWith(TestDatabase.class)
class BotLibraryIT {
  private static final Json JSON = new Json();
  private static TestDatabase.Url url;
  private static Database db;
  private static Directory directory;
  private static JdbcBotStore store;
  private static JdbcChannelStore channels;
  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final CachedBotLibrary library = new CachedBotLibrary(store, JSON, ticker);
  private final BotEditor editor = new BotEditor(store, library, directory, new LocalChanges());

  @BeforeAll
  static void database(TestDatabase.Url given) {
    url = given;
    db = new Database(url.url(), url.user(), url.password(), 2);
    db.migrate();
    directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), JSON), new LocalChanges());
    directory.load();
    store = new JdbcBotStore(db, Clock.systemUTC(), JSON);
    channels = new JdbcChannelStore(db, JSON);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private record Place(Tenant tenant, Center center, Queue general, Queue vip, Channel kakao) {}

  private static Place place(String code) {
    Tenant tenant = directory.createTenant(code, code);
    Center center = directory.createCenter(tenant, "seoul", "서울", Optional.empty());
    Queue general = directory.createQueue(center, queue("general"));
    Queue vip = directory.createQueue(center, queue("vip"));
    Channel kakao = channels.insert(tenant.id(), "kakao", ChannelKind.CUSTOM, center.id(), general.id(), true,
        Map.of(), "secret", Instant.now());
    return new Place(tenant, center, general, vip, kakao);
  }

  private static NewQueue queue(String code) {
    return new NewQueue(code, code, RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null);
  }

  /** A small valid scenario whose greeting says {@code greeting} and hands off to {@code queue}. */
  private static String scenario(String greeting, String queue) {
    return """
        {"name": "%s", "start": "hello", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "hello", "type": "message", "text": "%s", "next": "agent"},
           {"id": "agent", "type": "handoff", "text": "연결합니다.", "queue": "%s"}
         ]}
        """.formatted(greeting, greeting, queue);
  }

  private SavedScenario create(Place p, String greeting) {
    String body = scenario(greeting, "general");
    return editor.create(p.tenant().id(), JSON.readObject(body), body, null, null);
  }

  /** {@code n} FAQ entries in one statement: one add each would take most of this class's time. */
  private static void fill(long tenantId, int n) throws SQLException {
    StringBuilder insert = new StringBuilder("INSERT INTO bot_faq (tenant_id, question, alternatives, answer, enabled,"
        + " created_at, updated_at) VALUES ");
    for (int i = 0; i < n; i++) {
      insert.append(i == 0 ? "" : ", ").append("(").append(tenantId).append(", '질문 ").append(i)
          .append("', '[]', '답', TRUE, NOW(3), NOW(3))");
    }
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement s = c.createStatement()) {
      s.executeUpdate(insert.toString());
    }
  }

  private static String greeting(Optional<Scenario> scenario) {
    return scenario.map(s -> ((io.sangdam.bot.scenario.Node.Message) s.node(s.start())).text()).orElse("none");
  }

  @Test
  void theMostSpecificEntryGreetsAndDeletingOneTurnsTheBotOffThere() {
    Place p = place("spec");
    long t = p.tenant().id();
    SavedScenario center = create(p, "center");
    SavedScenario queue = create(p, "queue");
    SavedScenario channel = create(p, "channel");
    assertEquals("none", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")));

    editor.setEntry(t, BotEditor.Place.center(p.center().id()), center.id(), null);
    editor.setEntry(t, BotEditor.Place.queue(p.center().id(), p.vip().id()), queue.id(), null);
    editor.setEntry(t, BotEditor.Place.channel(p.kakao().id(), p.center().id()), channel.id(), null);

    assertEquals("center", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")));
    assertEquals("queue", greeting(library.scenarioFor(t, p.center().id(), p.vip().id(), "web")));
    assertEquals("channel", greeting(library.scenarioFor(t, p.center().id(), p.vip().id(), "kakao")));
    assertEquals(3, editor.entries(t).size());

    assertTrue(editor.deleteEntry(t, BotEditor.Place.queue(p.center().id(), p.vip().id())));
    assertEquals("center", greeting(library.scenarioFor(t, p.center().id(), p.vip().id(), "web")));
    assertTrue(editor.deleteEntry(t, BotEditor.Place.center(p.center().id())));
    assertEquals("none", greeting(library.scenarioFor(t, p.center().id(), p.vip().id(), "web")));
    assertEquals(false, editor.deleteEntry(t, BotEditor.Place.center(p.center().id())), "nothing left to delete");
  }

  @Test
  void aSaveIsTheNextVersionForNewConversationsAndTheOldOneStaysReadable() {
    Place p = place("versions");
    long t = p.tenant().id();
    SavedScenario v1 = create(p, "첫 인사");
    editor.setEntry(t, BotEditor.Place.center(p.center().id()), v1.id(), null);
    assertEquals("첫 인사", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")));

    String body = scenario("둘째 인사", "general");
    SavedScenario v2 = editor.save(t, v1.id(), JSON.readObject(body), body, null, null).orElseThrow();

    assertEquals(2, v2.currentVersion());
    Scenario current = library.scenarioFor(t, p.center().id(), p.general().id(), "web").orElseThrow();
    assertEquals(2, current.version());
    assertEquals("둘째 인사", greeting(Optional.of(current)));
    assertEquals("첫 인사", greeting(library.scenario(t, v1.id(), 1)));
    assertEquals(body, store.version(t, v1.id(), 2).orElseThrow().body(), "kept exactly as sent");
    assertEquals(List.of(2, 1), editor.versions(t, v1.id()).stream().map(ScenarioVersion::version).toList());
  }

  @Test
  void nothingOfAnotherTenantIsFound() {
    Place mine = place("mine");
    Place theirs = place("theirs");
    SavedScenario scenario = create(mine, "mine");
    editor.setEntry(mine.tenant().id(), BotEditor.Place.center(mine.center().id()), scenario.id(), null);
    editor.addFaq(mine.tenant().id(), "카드를 분실했어요", List.of(), "분실 신고는 앱에서 하세요.", true);

    long other = theirs.tenant().id();
    assertEquals(Optional.empty(), library.scenario(other, scenario.id(), 1));
    assertEquals(Optional.empty(), library.scenarioFor(other, mine.center().id(), mine.general().id(), "web"));
    assertSame(FaqMatcher.NONE, library.faq(other));
    assertEquals(Optional.empty(), editor.save(other, scenario.id(), JSON.readObject(scenario("x", "general")), "{}",
        null, null));
    assertThrows(RuntimeException.class, () -> editor.setEntry(other, BotEditor.Place.center(theirs.center().id()),
        scenario.id(), null));
  }

  @Test
  void aScenarioNamingAQueueTheEntrysCenterLacksIsRefusedNamingTheNode() {
    Place p = place("targets");
    long t = p.tenant().id();
    String body = scenario("hi", "nowhere");
    InvalidScenarioException refused = assertThrows(InvalidScenarioException.class,
        () -> editor.create(t, JSON.readObject(body), body, null, null));
    assertEquals("agent", refused.problems().get(0).node());
    assertEquals("queue", refused.problems().get(0).field());
    assertEquals(List.of(), editor.problems(t, 0, JSON.readObject(scenario("hi", "vip"))));
  }

  @Test
  void theFaqAnswersAsTheEngineAsksItDisabledEntriesLeftOut() {
    Place p = place("faq");
    long t = p.tenant().id();
    assertSame(FaqMatcher.NONE, library.faq(t));
    FaqItem lost = editor.addFaq(t, "카드를 분실했어요. 어떻게 해야 하나요?", List.of("카드 분실 신고", "카드를 잃어버렸어요"),
        "앱에서 분실 신고를 해 주세요.", true);
    editor.addFaq(t, "카드 비밀번호를 잊어버렸어요", List.of("카드 비밀번호 변경"), "앱에서 바꾸실 수 있어요.", true);
    editor.addFaq(t, "로그인 비밀번호를 잊어버렸어요", List.of("비밀번호 재설정"), "로그인 화면에서 재설정하세요.", true);
    FaqItem hours = editor.addFaq(t, "상담 시간이 어떻게 되나요?", List.of("영업 시간"), "평일 9시부터 6시까지예요.", false);

    FaqMatcher.Verdict confident = library.faq(t).match("카드 잃어버렸어요");
    assertEquals(new FaqMatcher.Confident(new FaqMatcher.Entry(Long.toString(lost.id()), lost.question(),
        lost.answer())), confident);
    FaqMatcher.Verdict unsure = library.faq(t).match("비밀번호를 잊어버렸어요");
    assertTrue(assertInstanceOf(FaqMatcher.Unsure.class, unsure).closest().size() >= 2, unsure.toString());
    assertInstanceOf(FaqMatcher.Nothing.class, library.faq(t).match("상담 시간이 어떻게 되나요?"), "disabled");

    editor.updateFaq(t, hours.id(), hours.question(), hours.alternatives(), hours.answer(), true);
    assertEquals(Long.toString(hours.id()), assertInstanceOf(FaqMatcher.Confident.class,
        library.faq(t).match("상담 시간이 어떻게 되나요?")).entry().id(), "enabled, and read again at once");
  }

  @Test
  void aChangeThisNodeNeverHeardOfIsReadOnceTheCacheGoesStale() {
    Place p = place("stale");
    long t = p.tenant().id();
    SavedScenario first = create(p, "first");
    SavedScenario second = create(p, "second");
    editor.setEntry(t, BotEditor.Place.center(p.center().id()), first.id(), null);
    assertEquals("first", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")));

    // Another node's change whose message never came: written to the database behind this library's back.
    store.setEntry(t, p.center().id(), null, null, second.id(), null);
    assertEquals("first", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")), "cached");
    nanos.addAndGet(CachedBotLibrary.STALE_AFTER.toNanos() + 1);
    assertEquals("second", greeting(library.scenarioFor(t, p.center().id(), p.general().id(), "web")));
  }

  @Test
  void theFaqLimitsNameTheirField() throws SQLException {
    Place p = place("limits");
    long t = p.tenant().id();
    assertEquals("field 'question' must be 1 to 200 characters", assertThrows(RuntimeException.class,
        () -> editor.addFaq(t, "가".repeat(201), List.of(), "a", true)).getMessage());
    assertEquals("field 'answer' must be 1 to 2000 characters", assertThrows(RuntimeException.class,
        () -> editor.addFaq(t, "q", List.of(), "가".repeat(2001), true)).getMessage());
    assertEquals("field 'alternatives' must be at most 20 phrasings", assertThrows(RuntimeException.class,
        () -> editor.addFaq(t, "q", java.util.Collections.nCopies(21, "x"), "a", true)).getMessage());
    assertEquals("field 'alternatives[1]' must be 1 to 200 characters", assertThrows(RuntimeException.class,
        () -> editor.addFaq(t, "q", List.of("x", "가".repeat(201)), "a", true)).getMessage());
    fill(t, FaqItem.MAX_PER_TENANT);
    long started = System.nanoTime();
    assertTrue(library.faq(t).match("질문 17") instanceof FaqMatcher.Verdict);
    System.out.printf("FAQ of %d entries read and indexed in %d ms%n", FaqItem.MAX_PER_TENANT,
        (System.nanoTime() - started) / 1_000_000);
    assertTrue(assertThrows(RuntimeException.class, () -> editor.addFaq(t, "하나 더", List.of(), "답", true))
        .getMessage().startsWith("field 'question' cannot be added: the tenant has 2000 FAQ entries"));
  }
}
