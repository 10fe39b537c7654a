package io.sangdam.store;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;

/**
 * Checked inside each transaction that persists a center's routing decisions or messages, before
 * it commits: a clustered node writes a center's conversations only while the center's fence in
 * the database is still the token it took on winning the center ({@link JdbcCenterFences#fence}).
 * Each check holds a shared lock on the center's fence to the commit, so a node taking the center
 * over waits for the write to commit, and every write of the old owner after that rolls back.
 */
public interface CenterFence {
  /** A node alone on its database: it owns every center, and nothing is read. */
  CenterFence NONE = new CenterFence() {
    @Override
    public void checkCenter(Connection c, long centerId) {
    }

    @Override
    public void checkConversation(Connection c, long conversationId) {
    }

    @Override
    public Set<Long> refused(Connection c, Collection<Long> conversationIds) {
      return Set.of();
    }
  };

  /** Throws {@link Fenced} unless this node still owns the center. */
  void checkCenter(Connection c, long centerId) throws SQLException;

  /** Throws {@link Fenced} unless this node still owns the center the conversation is in (none to check if it does not exist). */
  void checkConversation(Connection c, long conversationId) throws SQLException;

  /**
   * Of {@code conversationIds}, those whose center this node no longer owns, each center checked
   * once: the message writer leaves them out of its batch and commits the others.
   */
  Set<Long> refused(Connection c, Collection<Long> conversationIds) throws SQLException;

  /** Another node owns the center now: this node writes nothing more of it. Clients see {@code unavailable}. */
  final class Fenced extends SangdamException {
    public Fenced(long centerId) {
      super(ErrorCode.UNAVAILABLE, "this server no longer serves center " + centerId + "; reconnect and send it again");
    }
  }
}
