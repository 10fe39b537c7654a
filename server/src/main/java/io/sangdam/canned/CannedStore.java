package io.sangdam.canned;

import java.util.List;
import java.util.Optional;

/** What canned responses need persisted. Implemented in {@code store}; methods block. */
public interface CannedStore {
  /** Throws {@link DuplicateShortcutException} when the shortcut is taken at that level. */
  CannedResponse insert(long tenantId, Long centerId, Long ownerId, String title, String shortcut, String body);

  Optional<CannedResponse> find(long id);

  /** Every canned response of a tenant (for administrators), or those an agent may use. */
  List<CannedResponse> ofTenant(long tenantId);

  /** The tenant's shared ones, the center's, and the agent's own. */
  List<CannedResponse> usableBy(long tenantId, long centerId, long agentId);

  void update(long id, String title, String body, boolean enabled);

  final class DuplicateShortcutException extends RuntimeException {
    public DuplicateShortcutException(String message) {
      super(message);
    }
  }
}
