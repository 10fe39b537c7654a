package io.sangdam.directory;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.threads.HotThreads;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and looks up tenants, centers, queues and users. Every change goes through here.
 *
 * <p>Tenants, centers (with their hours and settings), queues and users are answered from a
 * {@link DirectorySnapshot} in memory, so the threads that must never wait for the database (event
 * loops, routing actors, message delivery, timers) never do: it is read by {@link #load()} at
 * start, a change made here is written into it before the change's method returns (the very next
 * request sees it), and {@link #refresh()} every {@link #REFRESH} off those threads brings
 * changes made elsewhere (another process on the same database). A row the snapshot does not have
 * is read from the database only on a thread that may block, and kept; on a hot thread it is not
 * found until the next refresh. A look-up the database answered "none" is not read again until
 * the next load or change. Categories, user lists and look-ups by username read the database:
 * only administration and session work, on threads that may block, ask for them.
 *
 * <p>Every change made here is announced ({@link Changes}) once it is in the snapshot, so other
 * nodes read the row again at once ({@link #changedElsewhere}) instead of at their next refresh.
 */
public final class Directory {
  private static final Logger log = LoggerFactory.getLogger(Directory.class);
  public static final String DEFAULT_TIMEZONE = "Asia/Seoul";
  public static final int DEFAULT_MAX_CHATS = 3;
  /** How often the snapshot is read again whole: bounds how late a change made elsewhere arrives. */
  public static final Duration REFRESH = Duration.ofSeconds(30);
  /** At a hundred bytes or so each, a megabyte at most. */
  private static final int MISSES_KEPT = 10_000;

  private final DirectoryStore store;
  /** Where the changes made here are announced, for the other nodes. */
  private final Changes announcements;
  private volatile DirectorySnapshot snapshot = new DirectorySnapshot();
  /** Serializes changes to the snapshot, and a load's swap against them. */
  private final Object changing = new Object();
  /** Counts changes kept in the snapshot: a load that overlapped one may have read the row before it. */
  private long changes;
  /**
   * Look-ups the database answered "none" since the last load or change, for one refresh period at
   * most (a refresh that fails or is skipped does not hide a row for longer): asked again (a widget
   * naming a tenant or center that does not exist, retrying), they cost no query until then.
   */
  private final Cache<Miss, Boolean> missing = Caffeine.newBuilder().maximumSize(MISSES_KEPT)
      .expireAfterWrite(REFRESH).build();

  /** What was looked up and not found: the kind of row and the key (id or code) it was asked by. */
  private record Miss(String kind, Object key) {}

  public Directory(DirectoryStore store, Changes changes) {
    this.store = requireNonNull(store, "store");
    this.announcements = requireNonNull(changes, "changes");
  }

  /**
   * Reads every tenant, center, queue and user and serves from them from now on: at start, and
   * by {@link #refresh()}. A read that overlapped a change made here is dropped (the snapshot
   * already has that change; the next refresh brings the rest).
   */
  public void load() {
    long before;
    synchronized (changing) {
      before = changes;
    }
    DirectorySnapshot fresh = new DirectorySnapshot(store.everything());
    synchronized (changing) {
      if (changes == before) {
        snapshot = fresh;
        missing.invalidateAll();
      }
    }
  }

  /** {@link #load()}, every {@link #REFRESH} on a thread that may block; one that fails keeps what was read before. */
  public void refresh() {
    try {
      load();
    } catch (RuntimeException e) {
      log.warn("the directory could not be read again; serving what was read before: {}", e.getMessage());
    }
  }

  /**
   * Reads a row from the database and writes it into the snapshot, and returns it. The read is
   * made under the lock too: of two changes to one row racing here, the later read is kept last.
   */
  private <T> T keep(Supplier<T> read, BiConsumer<DirectorySnapshot, T> put) {
    synchronized (changing) {
      T row = read.get();
      put.accept(snapshot, row);
      changes++;
      missing.invalidateAll();
      return row;
    }
  }

  /** Announces a change made here, once the snapshot has it. */
  private <T> T announced(Change.Kind kind, long id, T row) {
    announcements.changed(new Change.DirectoryRow(kind, id));
    return row;
  }

  /**
   * A row another node created or changed: read again and kept, whatever the snapshot had. Blocks
   * on the database: never on a hot thread. A row the database does not have is left as it was.
   */
  public void changedElsewhere(Change.DirectoryRow row) {
    long id = row.id();
    switch (row.kind()) {
      case TENANT -> keepFound(() -> store.tenant(id), DirectorySnapshot::put);
      case CENTER -> keepFound(() -> store.center(id), DirectorySnapshot::put);
      case QUEUE -> keepFound(() -> store.queue(id), DirectorySnapshot::put);
      case USER -> keepFound(() -> store.user(id), DirectorySnapshot::put);
    }
  }

  /** As {@link #keep}, for a row the database may not have. */
  private <T> void keepFound(Supplier<Optional<T>> read, BiConsumer<DirectorySnapshot, T> put) {
    synchronized (changing) {
      read.get().ifPresent(row -> {
        put.accept(snapshot, row);
        changes++;
        missing.invalidateAll();
      });
    }
  }

  /**
   * The snapshot's answer, or, when it has none and the calling thread may block, the database's
   * (kept): a row created by another process before the next refresh.
   */
  private <T> Optional<T> known(String kind, Object key, Optional<T> held, Supplier<Optional<T>> read,
      BiConsumer<DirectorySnapshot, T> put) {
    Miss miss = new Miss(kind, key);
    if (held.isPresent() || HotThreads.current() || missing.getIfPresent(miss) != null) {
      return held;
    }
    Optional<T> found = read.get();
    if (found.isEmpty()) {
      missing.put(miss, Boolean.TRUE);
    }
    // Read again under the lock, so a change made here meanwhile is not overwritten by an older read.
    return found.map(row -> keep(() -> read.get().orElse(row), put));
  }

  // --- tenants

  public Tenant createTenant(String code, String name) {
    requireSlug("code", code);
    requireName("name", name);
    Tenant tenant = unique(() -> store.insertTenant(code, name), "tenant '" + code + "' already exists");
    return announced(Change.Kind.TENANT, tenant.id(), keep(() -> tenant, DirectorySnapshot::put));
  }

  public Optional<Tenant> tenantByCode(String code) {
    return known("tenant", code, snapshot.tenant(code), () -> store.tenantByCode(code), DirectorySnapshot::put);
  }

  public Optional<Tenant> tenant(long id) {
    return known("tenant", id, snapshot.tenant(id), () -> store.tenant(id), DirectorySnapshot::put);
  }

  public List<Tenant> tenants() {
    return snapshot.tenants();
  }

  /** Renames, disables or enables a tenant (a disabled tenant's users cannot sign in, its customers cannot chat). */
  public Tenant updateTenant(Tenant tenant, Optional<String> name, Optional<Boolean> enabled) {
    name.ifPresent(n -> requireName("name", n));
    store.updateTenant(tenant.id(), name.orElse(tenant.name()),
        enabled.orElse(tenant.status().equals("ACTIVE")));
    return announced(Change.Kind.TENANT, tenant.id(),
        keep(() -> store.tenant(tenant.id()).orElseThrow(), DirectorySnapshot::put));
  }

  // --- centers

  public Center createCenter(Tenant tenant, String code, String name, Optional<String> timezone) {
    requireSlug("code", code);
    requireName("name", name);
    String zone = timezone.orElse(DEFAULT_TIMEZONE);
    requireZone(zone);
    Center center = unique(() -> store.insertCenter(tenant.id(), code, name, zone),
        "center '" + code + "' already exists in tenant '" + tenant.code() + "'");
    return announced(Change.Kind.CENTER, center.id(), keep(() -> center, DirectorySnapshot::put));
  }

  public Optional<Center> center(long tenantId, String code) {
    return known("center", List.of(tenantId, code), snapshot.center(tenantId, code),
        () -> store.centerByCode(tenantId, code), DirectorySnapshot::put);
  }

  public Optional<Center> center(long id) {
    return known("center", id, snapshot.center(id), () -> store.center(id), DirectorySnapshot::put);
  }

  public List<Center> centers(long tenantId) {
    return snapshot.centers(tenantId);
  }

  /** Sets a center's business hours, or with null makes it always open. */
  public Center setHours(Center center, BusinessHours hours) {
    store.updateCenterHours(center.id(), hours);
    return refreshed(center);
  }

  public Center updateCenter(Center center, Optional<String> name, Optional<String> timezone,
      Optional<Boolean> enabled) {
    name.ifPresent(n -> requireName("name", n));
    timezone.ifPresent(Directory::requireZone);
    if (timezone.isPresent() && center.hours() != null && !timezone.get().equals(center.hours().zone().getId())) {
      throw Fields.invalid("timezone", "is the business hours' time zone here; change it with the hours");
    }
    store.updateCenter(center.id(), name.orElse(center.name()), timezone.orElse(center.timezone()),
        enabled.orElse(center.enabled()));
    return refreshed(center);
  }

  public Center setSettings(Center center, CenterSettings settings) {
    store.updateCenterSettings(center.id(), settings);
    return refreshed(center);
  }

  private Center refreshed(Center center) {
    return announced(Change.Kind.CENTER, center.id(),
        keep(() -> store.center(center.id()).orElseThrow(), DirectorySnapshot::put));
  }

  // --- queues

  /** The overflow target must be a queue of the same tenant, given together with the wait. */
  public Queue createQueue(Center center, NewQueue q) {
    requireSlug("code", q.code());
    requireQueue(q);
    Queue queue = unique(() -> store.insertQueue(center.id(), q),
        "queue '" + q.code() + "' already exists in center '" + center.code() + "'");
    return announced(Change.Kind.QUEUE, queue.id(), keep(() -> queue, DirectorySnapshot::put));
  }

  /** Changes a queue (not its code); routing takes the change at the queue's next event. */
  public Queue updateQueue(Queue queue, NewQueue q, boolean enabled) {
    requireQueue(q);
    if (q.overflowQueueId() != null && q.overflowQueueId() == queue.id()) {
      throw Fields.invalid("overflowTo", "must name another queue");
    }
    store.updateQueue(queue.id(), q, enabled);
    return announced(Change.Kind.QUEUE, queue.id(),
        keep(() -> store.queue(queue.id()).orElseThrow(), DirectorySnapshot::put));
  }

  private static void requireQueue(NewQueue q) {
    requireName("name", q.name());
    if ((q.overflowQueueId() == null) != (q.overflowAfterSeconds() == null)) {
      throw Fields.invalid(q.overflowQueueId() != null ? "overflowAfterSeconds" : "overflowTo",
          "must be given together with " + (q.overflowQueueId() != null ? "overflowTo" : "overflowAfterSeconds"));
    }
  }

  public Optional<Queue> queue(long centerId, String code) {
    return known("queue", List.of(centerId, code), snapshot.queue(centerId, code),
        () -> store.queueByCode(centerId, code), DirectorySnapshot::put);
  }

  public Optional<Queue> queue(long id) {
    return known("queue", id, snapshot.queue(id), () -> store.queue(id), DirectorySnapshot::put);
  }

  public List<Queue> queues(long centerId) {
    return snapshot.queues(centerId);
  }

  // --- categories

  /** A new category under {@code parent} (null: a top-level one, else a usable one), at most three levels deep. */
  public Category createCategory(Tenant tenant, Optional<Long> parentId, String name) {
    requireName("name", name);
    Category parent = parentId.map(id -> category(tenant, id).filter(this::usable)
        .orElseThrow(() -> Fields.invalid("parent", "names no enabled category of this tenant"))).orElse(null);
    if (parent != null && parent.level() >= Category.LEVELS) {
      throw Fields.invalid("parent", "is a level-3 category; categories have three levels");
    }
    return store.insertCategory(tenant.id(), parentId.orElse(null), parent == null ? 1 : parent.level() + 1, name);
  }

  /** A category of the tenant; another tenant's is not found. */
  public Optional<Category> category(Tenant tenant, long id) {
    return store.category(id).filter(c -> c.tenantId() == tenant.id());
  }

  public Optional<Category> category(long id) {
    return store.category(id);
  }

  /** Enabled, and so is every category above it: disabling a category retires what hangs under it too. */
  public boolean usable(Category c) {
    Category at = c;
    while (at.enabled()) {
      if (at.parentId() == null) {
        return true;
      }
      Optional<Category> parent = store.category(at.parentId());
      if (parent.isEmpty()) {
        return false;
      }
      at = parent.get();
    }
    return false;
  }

  public List<Category> categories(long tenantId) {
    return store.categories(tenantId);
  }

  /** Renames or disables (never deletes) a category. */
  public Category updateCategory(Category category, Optional<String> name, Optional<Boolean> enabled) {
    name.ifPresent(n -> requireName("name", n));
    store.updateCategory(category.id(), name.orElse(category.name()), enabled.orElse(category.enabled()));
    return store.category(category.id()).orElseThrow();
  }

  // --- users

  public User createUser(NewUser user) {
    requireSlug("username", user.username());
    requireName("name", user.name());
    User created = unique(() -> store.insertUser(user), "user '" + user.username() + "' already exists");
    return announced(Change.Kind.USER, created.id(), keep(() -> created, DirectorySnapshot::put));
  }

  public Optional<User> user(long id) {
    return known("user", id, snapshot.user(id), () -> store.user(id), DirectorySnapshot::put);
  }

  /** A user of a tenant by username, from the database (rare: transfers and administration). */
  public Optional<User> user(long tenantId, String username) {
    return store.userByUsername(tenantId, username);
  }

  public List<User> users(long tenantId) {
    return store.users(tenantId);
  }

  /** Changes a user; queue membership and capacity reach routing at the agent's next hello or status. */
  public User updateUser(User user, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled) {
    requireName("name", name);
    store.updateUser(user.id(), centerId, name, role, maxChats, queueIds, enabled);
    return announced(Change.Kind.USER, user.id(),
        keep(() -> store.user(user.id()).orElseThrow(), DirectorySnapshot::put));
  }

  /** Gives a user another username (their company directory renamed them); {@code conflict} when it is taken. */
  public User renameUser(User user, String username) {
    requireSlug("username", username);
    unique(() -> {
      store.renameUser(user.id(), username);
      return null;
    }, "user '" + username + "' already exists");
    return announced(Change.Kind.USER, user.id(),
        keep(() -> store.user(user.id()).orElseThrow(), DirectorySnapshot::put));
  }

  public void setPassword(User user, String passwordHash) {
    store.updatePassword(user.id(), passwordHash);
  }

  public long userCount() {
    return store.userCount();
  }

  private static <T> T unique(Supplier<T> insert, String conflict) {
    try {
      return insert.get();
    } catch (DirectoryStore.DuplicateException e) {
      throw new SangdamException(ErrorCode.CONFLICT, conflict);
    }
  }

  private static void requireZone(String zone) {
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw Fields.invalid("timezone", "must be a time zone such as Asia/Seoul, got '" + zone + "'");
    }
  }

  private static void requireSlug(String field, String value) {
    if (value == null) {
      throw Fields.missing(field);
    }
    if (!Fields.SLUG.matcher(value).matches()) {
      throw Fields.invalid(field, "must match [a-z0-9][a-z0-9-]{0,31}");
    }
  }

  private static void requireName(String field, String value) {
    if (value == null) {
      throw Fields.missing(field);
    }
    if (value.isBlank() || value.length() > 100) {
      throw Fields.invalid(field, "must be 1 to 100 characters");
    }
  }
}
