package io.sangdam.bot;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The bot in the widget and the agent console, in headless Chromium: the customer answers the menu with a button,
 * fills the form (one answer asked again), is handed to the agent, and the agent sees the bot's part of the
 * transcript and the fields it collected, the phone number masked.
 */
class BotWidgetBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private String url(String app) {
    return "http://127.0.0.1:" + server.port() + "/" + app + "/";
  }

  @Test
  void aWidgetCustomerAnswersTheMenuAndTheFormAndTheAgentSeesTheBotsTranscriptAndFields() {
    TestServer.Setup s = server.setUp();
    Json json = new Json();
    var url = server.database();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher())) {
      Directory directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), json), new LocalChanges());
      directory.load();
      JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), json);
      BotEditor editor = new BotEditor(store, new CachedBotLibrary(store, json, Ticker.systemTicker()), directory,
          new LocalChanges());
      Tenant tenant = directory.tenantByCode(s.tenant()).orElseThrow();
      Center center = directory.center(tenant.id(), s.center()).orElseThrow();
      Queue card = directory.queue(center.id(), s.queue()).orElseThrow();
      SavedScenario saved = editor.create(tenant.id(), json.readObject(BotConversationIT.SCENARIO),
          BotConversationIT.SCENARIO, null, null);
      editor.setEntry(tenant.id(), BotEditor.Place.queue(center.id(), card.id()), saved.id(), null);
      editor.addFaq(tenant.id(), "배송은 언제 오나요?", List.of(), "보통 2~3일 걸립니다.", true);
    }
    try (Browser agent = Browser.open(); Browser widget = Browser.phone()) {
      agent.logIn(url("agent"), s.tenant(), "kim", "agent-pass-1");
      agent.visible("#console");
      agent.choose("#status", "ONLINE");

      widget.go(url("widget") + "?tenant=" + s.tenant() + "&center=seoul");
      widget.visible("#queue-list button[data-queue=card]");
      widget.visible("#start").click();
      widget.showing("#messages li.bot", "무엇을 도와드릴까요?");
      widget.visible("#text").sendKeys("배송은 언제 오나요?", Keys.ENTER);
      widget.showing("#messages", "보통 2~3일 걸립니다.");
      widget.screenshot("bot-1-menu");
      List<org.openqa.selenium.WebElement> order = widget.all("#messages li.bot .choices button[data-button=order]");
      order.get(order.size() - 1).click();
      widget.showing("#messages", "휴대폰 번호를 알려 주세요.");
      widget.visible("#text").sendKeys("123", Keys.ENTER);
      widget.showing("#messages", "010-1234-5678 형식");
      widget.visible("#text").sendKeys("010-9876-5432", Keys.ENTER);
      widget.showing("#messages", "주문번호를 알려 주세요.");
      widget.visible("#text").sendKeys("A-20261202", Keys.ENTER);
      widget.showing("#messages", "상담원을 연결합니다.");
      widget.showing("#messages", "김상담");
      widget.screenshot("bot-2-handed-off");

      agent.showing("#messages li.bot", "무엇을 도와드릴까요?");
      agent.showing("#messages", "주문 조회");
      agent.showing("#bot-fields-list", "주문번호");
      agent.showing("#bot-fields-list", "A-20261202");
      assertFalse(agent.visible("#bot-fields-list").getText().contains("9876"), "the phone is masked");
      agent.screenshot("bot-3-agent");
    }
  }
}
