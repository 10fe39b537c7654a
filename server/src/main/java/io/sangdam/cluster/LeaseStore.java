package io.sangdam.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The database's one lease row. Times are the database's clock, so the nodes' clocks need not agree. */
public interface LeaseStore {

  /**
   * Takes the lease for {@code node} under {@code token}, for {@code lease} from now, if it is
   * expired or already {@code node}'s own ({@link Node#sameAs}); otherwise leaves it and returns who holds it.
   */
  Optional<Holder> claim(Node node, String token, Duration lease);

  /**
   * The node holding an unexpired lease, read only: on a database of any schema, before the
   * migrations (empty if it has no lease table yet). A holder of a version without node ids has an empty id.
   */
  Optional<Holder> liveHolder();

  /** Extends the lease held under {@code token} to {@code lease} from now; false if another node took it. */
  boolean renew(String token, Duration lease);

  /** Ends the lease held under {@code token} now, so the next node takes it at once. */
  void release(String token);

  /** The node holding the lease, since when, how long ago it last renewed it, and how long it still holds. */
  record Holder(Node node, Instant since, Duration silentFor, Duration expiresIn) {}
}
