package io.sangdam.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tables a directory is kept in, in memory, counting the reads: for tests of what the
 * directory asks its store and when. {@code onEverything} runs inside a whole read, before it
 * returns, to play a change made while a refresh reads, or a failed read.
 */
final class MemoryDirectoryStore implements DirectoryStore {
  final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
  final Map<Long, Center> centers = new ConcurrentHashMap<>();
  final Map<Long, Queue> queues = new ConcurrentHashMap<>();
  final Map<Long, User> users = new ConcurrentHashMap<>();
  final AtomicInteger reads = new AtomicInteger();
  Runnable onEverything = () -> {};
  private final AtomicLong ids = new AtomicLong();

  long nextId() {
    return ids.incrementAndGet();
  }

  @Override
  public DirectoryRows everything() {
    reads.incrementAndGet();
    DirectoryRows rows = new DirectoryRows(new ArrayList<>(tenants.values()), new ArrayList<>(centers.values()),
        new ArrayList<>(queues.values()), new ArrayList<>(users.values()));
    onEverything.run();
    return rows;
  }

  @Override
  public Tenant insertTenant(String code, String name) {
    Tenant t = new Tenant(nextId(), code, name, "ACTIVE");
    tenants.put(t.id(), t);
    return t;
  }

  @Override
  public Optional<Tenant> tenant(long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(tenants.get(id));
  }

  @Override
  public Optional<Tenant> tenantByCode(String code) {
    reads.incrementAndGet();
    return tenants.values().stream().filter(t -> t.code().equals(code)).findFirst();
  }

  @Override
  public List<Tenant> tenants() {
    throw new UnsupportedOperationException("the directory lists tenants from its snapshot");
  }

  @Override
  public void updateTenant(long id, String name, boolean enabled) {
    Tenant t = tenants.get(id);
    tenants.put(id, new Tenant(id, t.code(), name, enabled ? "ACTIVE" : "DISABLED"));
  }

  @Override
  public Center insertCenter(long tenantId, String code, String name, String timezone) {
    Center c = new Center(nextId(), tenantId, code, name, timezone, null, CenterSettings.DEFAULTS, true);
    centers.put(c.id(), c);
    return c;
  }

  @Override
  public Optional<Center> center(long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(centers.get(id));
  }

  @Override
  public Optional<Center> centerByCode(long tenantId, String code) {
    reads.incrementAndGet();
    return centers.values().stream().filter(c -> c.tenantId() == tenantId && c.code().equals(code)).findFirst();
  }

  @Override
  public List<Center> centers(long tenantId) {
    throw new UnsupportedOperationException("the directory lists centers from its snapshot");
  }

  @Override
  public void updateCenterHours(long centerId, BusinessHours hours) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void updateCenterSettings(long centerId, CenterSettings s) {
    Center c = centers.get(centerId);
    centers.put(centerId, new Center(c.id(), c.tenantId(), c.code(), c.name(), c.timezone(), c.hours(), s,
        c.enabled()));
  }

  @Override
  public void updateCenter(long id, String name, String timezone, boolean enabled) {
    Center c = centers.get(id);
    centers.put(id, new Center(id, c.tenantId(), c.code(), name, timezone, c.hours(), c.settings(), enabled));
  }

  @Override
  public Queue insertQueue(long centerId, NewQueue q) {
    Queue queue = new Queue(nextId(), centerId, q.code(), q.name(), q.policy(), q.maxChatsPerAgent(), q.priority(),
        q.preferPreviousAgent(), q.overflowQueueId(), q.overflowAfterSeconds(), true);
    queues.put(queue.id(), queue);
    return queue;
  }

  @Override
  public Optional<Queue> queue(long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(queues.get(id));
  }

  @Override
  public Optional<Queue> queueByCode(long centerId, String code) {
    reads.incrementAndGet();
    return queues.values().stream().filter(q -> q.centerId() == centerId && q.code().equals(code)).findFirst();
  }

  @Override
  public List<Queue> queues(long centerId) {
    throw new UnsupportedOperationException("the directory lists queues from its snapshot");
  }

  @Override
  public void updateQueue(long id, NewQueue q, boolean enabled) {
    Queue old = queues.get(id);
    queues.put(id, new Queue(id, old.centerId(), old.code(), q.name(), q.policy(), q.maxChatsPerAgent(),
        q.priority(), q.preferPreviousAgent(), q.overflowQueueId(), q.overflowAfterSeconds(), enabled));
  }

  @Override
  public User insertUser(NewUser u) {
    User user = new User(nextId(), u.tenantId(), u.centerId(), u.username(), u.name(), u.role(), u.maxChats(),
        Set.copyOf(u.queueIds()), true);
    users.put(user.id(), user);
    return user;
  }

  @Override
  public Optional<User> user(long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(users.get(id));
  }

  @Override
  public Optional<User> userByUsername(long tenantId, String username) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<User> users(long tenantId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public long userCount() {
    return users.size();
  }

  @Override
  public void updateUser(long id, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled) {
    User u = users.get(id);
    users.put(id, new User(id, u.tenantId(), centerId, u.username(), name, role, maxChats, Set.copyOf(queueIds),
        enabled));
  }

  @Override
  public void updatePassword(long userId, String passwordHash) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Category insertCategory(long tenantId, Long parentId, int level, String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Category> category(long id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Category> categories(long tenantId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void updateCategory(long id, String name, boolean enabled) {
    throw new UnsupportedOperationException();
  }
}
