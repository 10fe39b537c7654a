package io.sangdam.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The access records. Implemented in {@code store}; blocks. {@link #record} returns once the record is durable and
 * chained, and throws otherwise: a read whose record cannot be written must fail, never go unrecorded.
 */
public interface AccessLog {
  void record(AccessRecord record);

  /** Records matching {@code query}, newest first, at most {@code limit}. */
  List<Recorded> search(Query query, int limit);

  /** Every record from {@code from} (inclusive) to {@code to} (exclusive), oldest first, at most {@code limit}. */
  List<Recorded> period(Long tenantId, Instant from, Instant to, int limit);

  /** Walks the whole chain with the key and says whether it holds, or where it first breaks. */
  Verdict verify();

  /**
   * Removes the records older than {@code before}, oldest first, keeping the chain verifiable from the first record
   * kept; returns how many were removed.
   */
  int prune(Instant before);

  /**
   * What to look for; null fields do not narrow. {@code tenantId} null: every tenant and HQ-wide records;
   * {@code actor}: the staff member's username; {@code subject}: a customer id; {@code action}: exact.
   * {@code beforeId}: the last record of the previous page.
   */
  record Query(Long tenantId, String actor, Long subject, String action, Instant from, Instant to, Long beforeId) {}

  /** A record as stored, with its place in the chain. */
  record Recorded(long id, Instant at, AccessRecord record) {}

  /**
   * The outcome of {@link #verify()}: {@code records} checked; {@code brokenAt} the id of the first record that
   * fails (empty when the chain holds), and why; {@code lastId}/{@code lastMac} the head, to compare with a copy
   * kept elsewhere (removing the newest records and the head with them is found only that way).
   */
  record Verdict(long records, Optional<Long> brokenAt, String problem, long lastId, String lastMac) {
    public boolean holds() {
      return brokenAt.isEmpty();
    }
  }
}
