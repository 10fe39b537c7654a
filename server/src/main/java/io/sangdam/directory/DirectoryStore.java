package io.sangdam.directory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the directory needs persisted. Implemented in {@code store}; every method blocks on the
 * database and a duplicate code is reported as {@link DuplicateException}.
 */
public interface DirectoryStore {
  /** Every tenant, center, queue and user, read in one transaction so that they agree. */
  DirectoryRows everything();

  Tenant insertTenant(String code, String name);

  Optional<Tenant> tenant(long id);

  Optional<Tenant> tenantByCode(String code);

  List<Tenant> tenants();

  void updateTenant(long id, String name, boolean enabled);

  Center insertCenter(long tenantId, String code, String name, String timezone);

  Optional<Center> center(long id);

  Optional<Center> centerByCode(long tenantId, String code);

  List<Center> centers(long tenantId);

  /** Sets (or, with null, removes) a center's business hours; the hours' zone becomes the center's. */
  void updateCenterHours(long centerId, BusinessHours hours);

  void updateCenterSettings(long centerId, CenterSettings settings);

  void updateCenter(long id, String name, String timezone, boolean enabled);

  Queue insertQueue(long centerId, NewQueue queue);

  Optional<Queue> queue(long id);

  Optional<Queue> queueByCode(long centerId, String code);

  List<Queue> queues(long centerId);

  /** Changes everything of a queue but its center and code. */
  void updateQueue(long id, NewQueue queue, boolean enabled);

  User insertUser(NewUser user);

  Optional<User> user(long id);

  Optional<User> userByUsername(long tenantId, String username);

  List<User> users(long tenantId);

  long userCount();

  /** Changes everything of a user but tenant, username and password; {@code queueIds} replaces their queues. */
  void updateUser(long id, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled);

  void updatePassword(long userId, String passwordHash);

  /** Gives a user another username of their tenant; {@link DuplicateException} when it is taken. */
  void renameUser(long userId, String username);

  Category insertCategory(long tenantId, Long parentId, int level, String name);

  Optional<Category> category(long id);

  List<Category> categories(long tenantId);

  void updateCategory(long id, String name, boolean enabled);

  /** Thrown when a code or username already exists in its scope. */
  final class DuplicateException extends RuntimeException {
    public DuplicateException(String message) {
      super(message);
    }
  }
}
