package io.sangdam.presence;

import io.sangdam.canned.CannedResponse;
import io.sangdam.canned.CannedStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Canned responses in memory, put in by the test; the sockets only read them. */
final class InMemoryCannedStore implements CannedStore {
  private final Map<Long, CannedResponse> rows = new ConcurrentHashMap<>();

  void put(CannedResponse c) {
    rows.put(c.id(), c);
  }

  @Override
  public Optional<CannedResponse> find(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public List<CannedResponse> ofTenant(long tenantId) {
    return rows.values().stream().filter(c -> c.tenantId() == tenantId).toList();
  }

  /** The tenant's responses, its center's and the agent's own, as the store's query selects them. */
  @Override
  public List<CannedResponse> usableBy(long tenantId, long centerId, long agentId) {
    return rows.values().stream()
        .filter(c -> c.tenantId() == tenantId && (c.centerId() == null || c.centerId() == centerId)
            && (c.ownerId() == null || Objects.equals(c.ownerId(), agentId)))
        .toList();
  }

  @Override
  public CannedResponse insert(long tenantId, Long centerId, Long ownerId, String title, String shortcut, String body) {
    throw new UnsupportedOperationException("the sockets do not write canned responses");
  }

  @Override
  public void update(long id, String title, String body, boolean enabled) {
    throw new UnsupportedOperationException("the sockets do not write canned responses");
  }
}
