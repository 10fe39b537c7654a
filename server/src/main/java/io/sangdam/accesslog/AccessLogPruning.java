package io.sangdam.accesslog;

import static java.util.Objects.requireNonNull;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the access records older than {@code accessLog.keepDays} (two years at least), and audits how many as
 * {@code access-log.prune}. Each node runs it daily: the removal is made under the chain's lock, so a second run
 * finds nothing left to remove. Blocks.
 */
public final class AccessLogPruning implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AccessLogPruning.class);

  private final AccessLog access;
  private final AuditLog audit;
  private final Duration keep;
  private final Clock clock;

  public AccessLogPruning(AccessLog access, AuditLog audit, int keepDays, Clock clock) {
    this.access = requireNonNull(access, "access");
    this.audit = requireNonNull(audit, "audit");
    this.keep = Duration.ofDays(keepDays);
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public void run() {
    Instant before = clock.instant().minus(keep);
    int removed = access.prune(before);
    if (removed > 0) {
      log.info("removed {} access records older than {} days", removed, keep.toDays());
      audit.record(new AuditEntry(null, "system", null, null, "access-log.prune", "access records before " + before,
          removed + " removed (accessLog.keepDays " + keep.toDays() + ")", null));
    }
  }
}
