package io.sangdam.testing;

import io.sangdam.directory.AwayReason;
import io.sangdam.directory.AwayReasonStore;
import io.sangdam.directory.DirectoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tenants' away reasons in memory, for tests without a database: each tenant starts with the defaults. */
public final class InMemoryAwayReasonStore implements AwayReasonStore {
  private final Map<Long, List<AwayReason>> byTenant = new ConcurrentHashMap<>();

  @Override
  public synchronized List<AwayReason> reasons(long tenantId) {
    return List.copyOf(byTenant.computeIfAbsent(tenantId, id -> new ArrayList<>(AwayReason.DEFAULTS.stream()
        .map(d -> new AwayReason(id, d.code(), d.name(), d.nameEn(), true)).toList())));
  }

  @Override
  public synchronized void insert(AwayReason reason) {
    List<AwayReason> reasons = byTenant.computeIfAbsent(reason.tenantId(), id -> new ArrayList<>());
    if (reasons.stream().anyMatch(r -> r.code().equals(reason.code()))) {
      throw new DirectoryStore.DuplicateException(reason.code());
    }
    reasons.add(reason);
  }

  @Override
  public synchronized void update(AwayReason reason) {
    byTenant.get(reason.tenantId()).replaceAll(r -> r.code().equals(reason.code()) ? reason : r);
  }
}
