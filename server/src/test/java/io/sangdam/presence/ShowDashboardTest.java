package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.dashboard.AlertThresholds;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.protocol.Fields;
import io.sangdam.testing.InMemoryAlertThresholdStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code dashboard}: the view of the caller's scope, answered first; {@code live} subscribes the session to changes. */
class ShowDashboardTest {
  private final Desk desk = new Desk();
  private final Dashboard dashboard = new Dashboard(desk.directory, desk.routing::load, new NoStatistics(),
      new AlertThresholds(new InMemoryAlertThresholdStore()), desk.time);
  private final AtomicLong nanos = new AtomicLong();
  private final DashboardFeed feed = new DashboardFeed(dashboard, nanos::get);
  private final ShowDashboard handler = new ShowDashboard(dashboard, feed, Desk.AT_ONCE);
  private final InMemoryOutbound out = new InMemoryOutbound();

  @Test
  void theViewOfTheManagersCenterIsAnsweredWithTheRid() {
    Fields f = desk.frame("{\"type\":\"dashboard\",\"rid\":\"d\"}");
    handler.handle(desk.agent(desk.lee, out), f, desk.rid(f));

    var answer = desk.only(out);
    assertEquals("dashboard", answer.path("type").asText());
    assertEquals("d", answer.path("rid").asText());
    assertEquals("acme", answer.path("tenants").get(0).path("code").asText(), answer.toString());
  }

  @Test
  void aLiveDashboardIsPushedAgainWhenItChanges() {
    AgentSession lee = desk.agent(desk.lee, out);
    Fields f = desk.frame("{\"type\":\"dashboard\",\"rid\":\"d\",\"live\":true}");
    handler.handle(lee, f, desk.rid(f));
    desk.sessions.addAgent(desk.kim.id(), desk.agent(desk.kim, new InMemoryOutbound()), () -> { });
    desk.sessions.setStatus(desk.agent(desk.kim, new InMemoryOutbound()).profile(), AgentStatus.ONLINE, null, null, null);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    feed.tick();
    assertEquals(1, out.messages.size(), "at most one push a second, the answer included: " + out.messages);
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    feed.tick();

    assertEquals(2, out.messages.size(), out.messages.toString());
    Fields off = desk.frame("{\"type\":\"dashboard\",\"rid\":\"e\"}");
    handler.handle(lee, off, desk.rid(off));
    desk.sessions.setStatus(desk.agent(desk.kim, new InMemoryOutbound()).profile(), AgentStatus.AWAY, null, null, null);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
    feed.tick();
    assertEquals(3, out.messages.size(), "no push after a dashboard without live");
  }
}
