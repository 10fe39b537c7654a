package io.sangdam.testing;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The directory's tables in memory, kept as {@code JdbcDirectoryStore} keeps them: the same unique
 * codes, the same order of lists. A test puts rows in whole with {@link #put} (a row made or changed
 * beside the directory), counts the store's {@link #reads} (to prove a lookup did not wait on the
 * database), and plays something happening while the whole directory is read with
 * {@link #onEverything}. Safe from any thread: the directory reads from its refresh's.
 */
public final class InMemoryDirectoryStore implements DirectoryStore {
  private final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
  private final Map<Long, Center> centers = new ConcurrentHashMap<>();
  private final Map<Long, Queue> queues = new ConcurrentHashMap<>();
  private final Map<Long, User> users = new ConcurrentHashMap<>();
  private final Map<Long, Category> categories = new ConcurrentHashMap<>();
  private final AtomicLong lastId = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile Runnable onEverything = () -> {};

  public Tenant put(Tenant row) {
    return put(tenants, row.id(), row);
  }

  public Center put(Center row) {
    return put(centers, row.id(), row);
  }

  public Queue put(Queue row) {
    return put(queues, row.id(), row);
  }

  public User put(User row) {
    return put(users, row.id(), row);
  }

  public Category put(Category row) {
    return put(categories, row.id(), row);
  }

  /** How many times the store was read, by any of its lookups, lists or the whole read. */
  public int reads() {
    return reads.get();
  }

  /**
   * Runs {@code whileRead} inside every later {@link #everything}, after the rows are read and
   * before they are returned: a change made meanwhile, or (by throwing) a read that fails.
   */
  public void onEverything(Runnable whileRead) {
    this.onEverything = whileRead;
  }

  private <T> T put(Map<Long, T> table, long id, T row) {
    // Ids given by a test and ids given by an insert must not meet, as with auto-increment.
    lastId.accumulateAndGet(id, Math::max);
    table.put(id, row);
    return row;
  }

  private <T> List<T> read(Map<Long, T> table, Predicate<T> where, Comparator<T> orderBy) {
    reads.incrementAndGet();
    return table.values().stream().filter(where).sorted(orderBy).toList();
  }

  private <T> Optional<T> readOne(Map<Long, T> table, Predicate<T> where) {
    reads.incrementAndGet();
    return table.values().stream().filter(where).findFirst();
  }

  private <T> Optional<T> read(Map<Long, T> table, long id) {
    reads.incrementAndGet();
    return Optional.ofNullable(table.get(id));
  }

  private static <T> void unique(Map<Long, T> table, Predicate<T> sameKey, String what) {
    if (table.values().stream().anyMatch(sameKey)) {
      throw new DuplicateException("Duplicate entry for " + what);
    }
  }

  private static <T> T existing(Map<Long, T> table, long id) {
    return Objects.requireNonNull(table.get(id), () -> "no row " + id);
  }

  private static String status(boolean enabled) {
    return enabled ? "ACTIVE" : "DISABLED";
  }

  @Override
  public DirectoryRows everything() {
    reads.incrementAndGet();
    DirectoryRows rows = new DirectoryRows(List.copyOf(tenants.values()), List.copyOf(centers.values()),
        List.copyOf(queues.values()), List.copyOf(users.values()));
    onEverything.run();
    return rows;
  }

  // --- tenants

  @Override
  public synchronized Tenant insertTenant(String code, String name) {
    unique(tenants, t -> t.code().equals(code), "tenant " + code);
    return put(new Tenant(lastId.incrementAndGet(), code, name, status(true)));
  }

  @Override
  public Optional<Tenant> tenant(long id) {
    return read(tenants, id);
  }

  @Override
  public Optional<Tenant> tenantByCode(String code) {
    return readOne(tenants, t -> t.code().equals(code));
  }

  @Override
  public List<Tenant> tenants() {
    return read(tenants, t -> true, Comparator.comparing(Tenant::code));
  }

  @Override
  public void updateTenant(long id, String name, boolean enabled) {
    Tenant t = existing(tenants, id);
    put(new Tenant(id, t.code(), name, status(enabled)));
  }

  // --- centers

  @Override
  public synchronized Center insertCenter(long tenantId, String code, String name, String timezone) {
    unique(centers, c -> c.tenantId() == tenantId && c.code().equals(code), "center " + code);
    return put(new Center(lastId.incrementAndGet(), tenantId, code, name, timezone, null, CenterSettings.DEFAULTS,
        true));
  }

  @Override
  public Optional<Center> center(long id) {
    return read(centers, id);
  }

  @Override
  public Optional<Center> centerByCode(long tenantId, String code) {
    return readOne(centers, c -> c.tenantId() == tenantId && c.code().equals(code));
  }

  @Override
  public List<Center> centers(long tenantId) {
    return read(centers, c -> c.tenantId() == tenantId, Comparator.comparing(Center::code));
  }

  @Override
  public void updateCenterHours(long centerId, BusinessHours hours) {
    Center c = existing(centers, centerId);
    String timezone = hours == null ? c.timezone() : hours.zone().getId();
    put(new Center(c.id(), c.tenantId(), c.code(), c.name(), timezone, hours, c.settings(), c.enabled()));
  }

  @Override
  public void updateCenterSettings(long centerId, CenterSettings settings) {
    Center c = existing(centers, centerId);
    put(new Center(c.id(), c.tenantId(), c.code(), c.name(), c.timezone(), c.hours(), settings, c.enabled()));
  }

  @Override
  public void updateCenter(long id, String name, String timezone, boolean enabled) {
    Center c = existing(centers, id);
    put(new Center(id, c.tenantId(), c.code(), name, timezone, c.hours(), c.settings(), enabled));
  }

  // --- queues

  @Override
  public synchronized Queue insertQueue(long centerId, NewQueue q) {
    unique(queues, old -> old.centerId() == centerId && old.code().equals(q.code()), "queue " + q.code());
    return put(new Queue(lastId.incrementAndGet(), centerId, q.code(), q.name(), q.policy(), q.maxChatsPerAgent(),
        q.priority(), q.preferPreviousAgent(), q.overflowQueueId(), q.overflowAfterSeconds(), true));
  }

  @Override
  public Optional<Queue> queue(long id) {
    return read(queues, id);
  }

  @Override
  public Optional<Queue> queueByCode(long centerId, String code) {
    return readOne(queues, q -> q.centerId() == centerId && q.code().equals(code));
  }

  @Override
  public List<Queue> queues(long centerId) {
    return read(queues, q -> q.centerId() == centerId, Comparator.comparing(Queue::code));
  }

  @Override
  public void updateQueue(long id, NewQueue q, boolean enabled) {
    Queue old = existing(queues, id);
    put(new Queue(id, old.centerId(), old.code(), q.name(), q.policy(), q.maxChatsPerAgent(), q.priority(),
        q.preferPreviousAgent(), q.overflowQueueId(), q.overflowAfterSeconds(), enabled));
  }

  // --- users

  @Override
  public synchronized User insertUser(NewUser u) {
    unique(users, old -> Objects.equals(old.tenantId(), u.tenantId()) && old.username().equals(u.username()),
        "user " + u.username());
    return put(new User(lastId.incrementAndGet(), u.tenantId(), u.centerId(), u.username(), u.name(), u.role(),
        u.maxChats(), Set.copyOf(u.queueIds()), true));
  }

  @Override
  public Optional<User> user(long id) {
    return read(users, id);
  }

  @Override
  public Optional<User> userByUsername(long tenantId, String username) {
    return readOne(users, u -> Objects.equals(u.tenantId(), tenantId) && u.username().equals(username));
  }

  @Override
  public List<User> users(long tenantId) {
    return read(users, u -> Objects.equals(u.tenantId(), tenantId), Comparator.comparing(User::username));
  }

  @Override
  public long userCount() {
    reads.incrementAndGet();
    return users.size();
  }

  @Override
  public void updateUser(long id, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled) {
    User u = existing(users, id);
    put(new User(id, u.tenantId(), centerId, u.username(), name, role, maxChats, Set.copyOf(queueIds), enabled));
  }

  @Override
  public synchronized void renameUser(long userId, String username) {
    User u = existing(users, userId);
    unique(users, old -> Objects.equals(old.tenantId(), u.tenantId()) && old.username().equals(username),
        "user " + username);
    put(new User(userId, u.tenantId(), u.centerId(), username, u.name(), u.role(), u.maxChats(), u.queueIds(),
        u.enabled()));
  }

  @Override
  public void updatePassword(long userId, String passwordHash) {
    // Nothing here reads a password back (signing in reads it through the auth store), so only
    // the user's existence is checked.
    existing(users, userId);
  }

  // --- categories

  @Override
  public Category insertCategory(long tenantId, Long parentId, int level, String name) {
    return put(new Category(lastId.incrementAndGet(), tenantId, parentId, level, name, true));
  }

  @Override
  public Optional<Category> category(long id) {
    return read(categories, id);
  }

  @Override
  public List<Category> categories(long tenantId) {
    return read(categories, c -> c.tenantId() == tenantId,
        Comparator.comparingInt(Category::level).thenComparingLong(Category::id));
  }

  @Override
  public void updateCategory(long id, String name, boolean enabled) {
    Category c = existing(categories, id);
    put(new Category(id, c.tenantId(), c.parentId(), c.level(), name, enabled));
  }
}
