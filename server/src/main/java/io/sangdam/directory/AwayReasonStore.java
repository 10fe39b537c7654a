package io.sangdam.directory;

import java.util.List;

/** What {@link AwayReasons} needs persisted. Implemented in {@code store}; every method blocks. */
public interface AwayReasonStore {
  /** The tenant's reasons in their order, the {@link AwayReason#DEFAULTS} written first if it has none yet. */
  List<AwayReason> reasons(long tenantId);

  /** Adds a reason after the others; a code the tenant has already is a {@link DirectoryStore.DuplicateException}. */
  void insert(AwayReason reason);

  void update(AwayReason reason);
}
