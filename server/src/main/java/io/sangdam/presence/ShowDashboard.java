package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.protocol.Fields;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code dashboard}: the dashboard of the caller's scope, or of one center in it
 * ({@code "center":"tenant/center"}); with {@code "live":true} it is pushed again whenever it
 * changes, at most once a second, until a {@code dashboard} without it or the end of the session.
 */
final class ShowDashboard implements FrameHandler<AgentSession> {
  private final Dashboard dashboard;
  private final DashboardFeed feed;
  private final Executor blocking;

  ShowDashboard(Dashboard dashboard, DashboardFeed feed, Executor blocking) {
    this.dashboard = dashboard;
    this.feed = feed;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = session.principal();
    Optional<String> center = f.optString("center", 80);
    boolean live = f.optBool("live").orElse(false);
    session.reply(rid, CompletableFuture.supplyAsync(() -> {
      Dashboard.Subject subject = dashboard.subject(p, center);
      return Map.entry(subject, dashboard.view(subject, rid));
    }, blocking), answer -> {
      // The answer goes first: a push taken after it can then only be newer.
      session.send(answer.getValue());
      if (live) {
        feed.subscribe(session.id(), answer.getKey(), answer.getValue(), session::send);
        if (session.isClosed()) {
          feed.unsubscribe(session.id());
        }
      } else {
        feed.unsubscribe(session.id());
      }
    });
  }
}
