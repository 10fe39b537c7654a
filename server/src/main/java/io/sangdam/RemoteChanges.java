package io.sangdam;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Authenticator;
import io.sangdam.bot.CachedBotLibrary;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.directory.Directory;
import io.sangdam.presence.Sessions;
import io.sangdam.webhook.Webhooks;

/**
 * Brings this node's caches and consoles up to date with a management change another node made, as
 * that node did its own: the directory reads the row again, cached sign-ins of a signed-out user
 * drop and their consoles close, a changed user's consoles take the new row, a tenant's webhooks are
 * read again at its next event, a tenant's bot (scenarios, entries, FAQ) when next asked, the agents serving a
 * queue whose callbacks changed are told. Blocks on the database: run it off the hot threads, one change at a
 * time in the order they came.
 */
public final class RemoteChanges implements Changes {
  private final Directory directory;
  private final Authenticator authenticator;
  private final Webhooks webhooks;
  private final Sessions sessions;
  private final CachedBotLibrary bots;

  public RemoteChanges(Directory directory, Authenticator authenticator, Webhooks webhooks, Sessions sessions,
      CachedBotLibrary bots) {
    this.directory = requireNonNull(directory, "directory");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.webhooks = requireNonNull(webhooks, "webhooks");
    this.sessions = requireNonNull(sessions, "sessions");
    this.bots = requireNonNull(bots, "bots");
  }

  @Override
  public void changed(Change change) {
    if (change instanceof Change.DirectoryRow row) {
      directory.changedElsewhere(row);
    } else if (change instanceof Change.SignedOut out) {
      authenticator.revokedElsewhere(out.userId());
      sessions.signOut(out.userId(), "signed out by an administrator");
    } else if (change instanceof Change.UserChanged user) {
      // Read here, not taken from the other node: this node's snapshot may not have seen the change yet.
      directory.changedElsewhere(new Change.DirectoryRow(Change.Kind.USER, user.userId()));
      directory.user(user.userId()).ifPresent(u -> {
        authenticator.refresh(u);
        sessions.userChanged(u);
      });
    } else if (change instanceof Change.LoggedOut out) {
      authenticator.loggedOutElsewhere(out.tokenKey());
      sessions.loggedOutElsewhere(out.userId(), out.tokenKey());
    } else if (change instanceof Change.WebhooksChanged hooks) {
      webhooks.changedElsewhere(hooks.tenantId());
    } else if (change instanceof Change.BotChanged bot) {
      bots.changedElsewhere(bot.tenantId());
    } else if (change instanceof Change.CallbacksChanged callbacks) {
      sessions.callbacksChanged(callbacks.centerId(), callbacks.queueId());
    }
  }

  /**
   * Changes of other nodes may have been missed (this node was cut off from them): the directory is
   * read again whole, cached sign-ins and webhook lists are dropped and read again when next used.
   * The consoles of a user signed out meanwhile stay open (the token they hold is refused at its
   * next use on REST).
   */
  public void catchUp() {
    directory.refresh();
    authenticator.forgetAll();
    webhooks.forgetAll();
    bots.forgetAll();
  }
}
