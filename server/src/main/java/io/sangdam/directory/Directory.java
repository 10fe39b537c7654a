package io.sangdam.directory;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Creates and looks up tenants, centers, queues and users. Lookups are cached; every change goes
 * through here and invalidates what it touches. Methods block on the database on a cache miss.
 */
public final class Directory {
  public static final String DEFAULT_TIMEZONE = "Asia/Seoul";
  public static final int DEFAULT_MAX_CHATS = 3;
  /** Bounds staleness when another node changes a row (no cross-node invalidation yet). */
  private static final Duration CACHE_TTL = Duration.ofMinutes(5);

  private final DirectoryStore store;
  private final Cache<String, Optional<Tenant>> tenantsByCode;
  private final Cache<Long, Optional<Tenant>> tenantsById;
  private final Cache<String, Optional<Center>> centersByCode;
  private final Cache<Long, Optional<Center>> centersById;
  private final Cache<String, Optional<Queue>> queuesByCode;
  private final Cache<Long, Optional<Queue>> queuesById;
  private final Cache<Long, Optional<User>> usersById;
  /** The lists the dashboard walks every second for every console: a tenant's centers, a center's queues. */
  private final Cache<Long, List<Center>> centersOfTenant;
  private final Cache<Long, List<Queue>> queuesOfCenter;

  public Directory(DirectoryStore store, Ticker ticker) {
    this.store = requireNonNull(store, "store");
    this.tenantsByCode = cache(ticker);
    this.tenantsById = cache(ticker);
    this.centersByCode = cache(ticker);
    this.centersById = cache(ticker);
    this.queuesByCode = cache(ticker);
    this.queuesById = cache(ticker);
    this.usersById = cache(ticker);
    this.centersOfTenant = cache(ticker);
    this.queuesOfCenter = cache(ticker);
  }

  private static <K, V> Cache<K, V> cache(Ticker ticker) {
    return Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(CACHE_TTL).ticker(ticker).build();
  }

  // --- tenants

  public Tenant createTenant(String code, String name) {
    requireSlug("code", code);
    requireName("name", name);
    Tenant tenant = unique(() -> store.insertTenant(code, name), "tenant '" + code + "' already exists");
    tenantsByCode.invalidate(code);
    return tenant;
  }

  public Optional<Tenant> tenantByCode(String code) {
    return tenantsByCode.get(code, store::tenantByCode);
  }

  public Optional<Tenant> tenant(long id) {
    return tenantsById.get(id, store::tenant);
  }

  public List<Tenant> tenants() {
    return store.tenants();
  }

  /** Renames, disables or enables a tenant (a disabled tenant's users cannot sign in, its customers cannot chat). */
  public Tenant updateTenant(Tenant tenant, Optional<String> name, Optional<Boolean> enabled) {
    name.ifPresent(n -> requireName("name", n));
    store.updateTenant(tenant.id(), name.orElse(tenant.name()),
        enabled.orElse(tenant.status().equals("ACTIVE")));
    tenantsById.invalidate(tenant.id());
    tenantsByCode.invalidate(tenant.code());
    return tenant(tenant.id()).orElseThrow();
  }

  // --- centers

  public Center createCenter(Tenant tenant, String code, String name, Optional<String> timezone) {
    requireSlug("code", code);
    requireName("name", name);
    String zone = timezone.orElse(DEFAULT_TIMEZONE);
    requireZone(zone);
    Center center = unique(() -> store.insertCenter(tenant.id(), code, name, zone),
        "center '" + code + "' already exists in tenant '" + tenant.code() + "'");
    centersByCode.invalidate(tenant.id() + "/" + code);
    centersOfTenant.invalidate(tenant.id());
    return center;
  }

  public Optional<Center> center(long tenantId, String code) {
    return centersByCode.get(tenantId + "/" + code, k -> store.centerByCode(tenantId, code));
  }

  public Optional<Center> center(long id) {
    return centersById.get(id, store::center);
  }

  public List<Center> centers(long tenantId) {
    return centersOfTenant.get(tenantId, store::centers);
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
    centersById.invalidate(center.id());
    centersByCode.invalidate(center.tenantId() + "/" + center.code());
    centersOfTenant.invalidate(center.tenantId());
    return center(center.id()).orElseThrow();
  }

  // --- queues

  /** The overflow target must be a queue of the same tenant, given together with the wait. */
  public Queue createQueue(Center center, NewQueue q) {
    requireSlug("code", q.code());
    requireQueue(q);
    Queue queue = unique(() -> store.insertQueue(center.id(), q),
        "queue '" + q.code() + "' already exists in center '" + center.code() + "'");
    queuesByCode.invalidate(center.id() + "/" + q.code());
    queuesOfCenter.invalidate(center.id());
    return queue;
  }

  /** Changes a queue (not its code); routing takes the change at the queue's next event. */
  public Queue updateQueue(Queue queue, NewQueue q, boolean enabled) {
    requireQueue(q);
    if (q.overflowQueueId() != null && q.overflowQueueId() == queue.id()) {
      throw Fields.invalid("overflowTo", "must name another queue");
    }
    store.updateQueue(queue.id(), q, enabled);
    queuesById.invalidate(queue.id());
    queuesByCode.invalidate(queue.centerId() + "/" + queue.code());
    queuesOfCenter.invalidate(queue.centerId());
    return queue(queue.id()).orElseThrow();
  }

  private static void requireQueue(NewQueue q) {
    requireName("name", q.name());
    if ((q.overflowQueueId() == null) != (q.overflowAfterSeconds() == null)) {
      throw Fields.invalid(q.overflowQueueId() != null ? "overflowAfterSeconds" : "overflowTo",
          "must be given together with " + (q.overflowQueueId() != null ? "overflowTo" : "overflowAfterSeconds"));
    }
  }

  public Optional<Queue> queue(long centerId, String code) {
    return queuesByCode.get(centerId + "/" + code, k -> store.queueByCode(centerId, code));
  }

  public Optional<Queue> queue(long id) {
    return queuesById.get(id, store::queue);
  }

  public List<Queue> queues(long centerId) {
    return queuesOfCenter.get(centerId, store::queues);
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
    usersById.invalidate(created.id());
    return created;
  }

  public Optional<User> user(long id) {
    return usersById.get(id, store::user);
  }

  /** A user of a tenant by username; not cached (rare: transfers and administration). */
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
    usersById.invalidate(user.id());
    return user(user.id()).orElseThrow();
  }

  public void setPassword(User user, String passwordHash) {
    store.updatePassword(user.id(), passwordHash);
  }

  public long userCount() {
    return store.userCount();
  }

  private static <T> T unique(java.util.function.Supplier<T> insert, String conflict) {
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
