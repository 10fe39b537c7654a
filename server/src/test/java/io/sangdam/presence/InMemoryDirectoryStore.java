package io.sangdam.presence;

import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Category;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.DirectoryRows;
import io.sangdam.directory.DirectoryStore;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The directory's rows in memory, for handler tests: a test puts rows in with {@link #put}; the
 * sockets only read, so every write of the management API is refused.
 */
final class InMemoryDirectoryStore implements DirectoryStore {
  private final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
  private final Map<Long, Center> centers = new ConcurrentHashMap<>();
  private final Map<Long, Queue> queues = new ConcurrentHashMap<>();
  private final Map<Long, User> users = new ConcurrentHashMap<>();
  private final Map<Long, Category> categories = new ConcurrentHashMap<>();

  Tenant put(Tenant t) {
    tenants.put(t.id(), t);
    return t;
  }

  Center put(Center c) {
    centers.put(c.id(), c);
    return c;
  }

  Queue put(Queue q) {
    queues.put(q.id(), q);
    return q;
  }

  User put(User u) {
    users.put(u.id(), u);
    return u;
  }

  Category put(Category c) {
    categories.put(c.id(), c);
    return c;
  }

  private static <T> List<T> where(Map<Long, T> rows, Predicate<T> filter) {
    return rows.values().stream().filter(filter).toList();
  }

  @Override
  public DirectoryRows everything() {
    return new DirectoryRows(List.copyOf(tenants.values()), List.copyOf(centers.values()),
        List.copyOf(queues.values()), List.copyOf(users.values()));
  }

  @Override
  public Optional<Tenant> tenant(long id) {
    return Optional.ofNullable(tenants.get(id));
  }

  @Override
  public Optional<Tenant> tenantByCode(String code) {
    return tenants.values().stream().filter(t -> t.code().equals(code)).findFirst();
  }

  @Override
  public List<Tenant> tenants() {
    return List.copyOf(tenants.values());
  }

  @Override
  public Optional<Center> center(long id) {
    return Optional.ofNullable(centers.get(id));
  }

  @Override
  public Optional<Center> centerByCode(long tenantId, String code) {
    return where(centers, c -> c.tenantId() == tenantId && c.code().equals(code)).stream().findFirst();
  }

  @Override
  public List<Center> centers(long tenantId) {
    return where(centers, c -> c.tenantId() == tenantId);
  }

  @Override
  public Optional<Queue> queue(long id) {
    return Optional.ofNullable(queues.get(id));
  }

  @Override
  public Optional<Queue> queueByCode(long centerId, String code) {
    return where(queues, q -> q.centerId() == centerId && q.code().equals(code)).stream().findFirst();
  }

  @Override
  public List<Queue> queues(long centerId) {
    return where(queues, q -> q.centerId() == centerId);
  }

  @Override
  public Optional<User> user(long id) {
    return Optional.ofNullable(users.get(id));
  }

  @Override
  public Optional<User> userByUsername(long tenantId, String username) {
    return where(users, u -> u.tenantId() != null && u.tenantId() == tenantId && u.username().equals(username))
        .stream().findFirst();
  }

  @Override
  public List<User> users(long tenantId) {
    return where(users, u -> u.tenantId() != null && u.tenantId() == tenantId);
  }

  @Override
  public long userCount() {
    return users.size();
  }

  @Override
  public Optional<Category> category(long id) {
    return Optional.ofNullable(categories.get(id));
  }

  @Override
  public List<Category> categories(long tenantId) {
    return where(categories, c -> c.tenantId() == tenantId);
  }

  @Override
  public Tenant insertTenant(String code, String name) {
    throw readOnly();
  }

  @Override
  public void updateTenant(long id, String name, boolean enabled) {
    throw readOnly();
  }

  @Override
  public Center insertCenter(long tenantId, String code, String name, String timezone) {
    throw readOnly();
  }

  @Override
  public void updateCenterHours(long centerId, BusinessHours hours) {
    throw readOnly();
  }

  @Override
  public void updateCenterSettings(long centerId, CenterSettings settings) {
    throw readOnly();
  }

  @Override
  public void updateCenter(long id, String name, String timezone, boolean enabled) {
    throw readOnly();
  }

  @Override
  public Queue insertQueue(long centerId, NewQueue queue) {
    throw readOnly();
  }

  @Override
  public void updateQueue(long id, NewQueue queue, boolean enabled) {
    throw readOnly();
  }

  @Override
  public User insertUser(NewUser user) {
    throw readOnly();
  }

  @Override
  public void updateUser(long id, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled) {
    throw readOnly();
  }

  @Override
  public void updatePassword(long userId, String passwordHash) {
    throw readOnly();
  }

  @Override
  public Category insertCategory(long tenantId, Long parentId, int level, String name) {
    throw readOnly();
  }

  @Override
  public void updateCategory(long id, String name, boolean enabled) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("the sockets do not change the directory");
  }
}
