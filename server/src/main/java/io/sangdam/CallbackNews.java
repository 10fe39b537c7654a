package io.sangdam;

import static java.util.Objects.requireNonNull;

import io.sangdam.callback.CallbackListener;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.presence.Sessions;

/**
 * Tells the agents serving a queue, on this node and the others, that its callback requests changed. The sessions
 * are built after the callbacks (the bot, which leaves requests, comes before them), so they are met later; until
 * then no console is connected to tell.
 */
final class CallbackNews implements CallbackListener {
  private final Changes changes;
  private volatile Sessions sessions;

  CallbackNews(Changes changes) {
    this.changes = requireNonNull(changes, "changes");
  }

  void meet(Sessions sessions) {
    this.sessions = requireNonNull(sessions, "sessions");
  }

  @Override
  public void changed(long centerId, long queueId) {
    Sessions here = sessions;
    if (here != null) {
      here.callbacksChanged(centerId, queueId);
    }
    changes.changed(new Change.CallbacksChanged(centerId, queueId));
  }
}
