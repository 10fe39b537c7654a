package io.sangdam.directory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tenants, centers, queues and users in memory, for threads that must not wait for the
 * database. Read without locks; changed by one writer at a time (the {@link Directory}, which
 * serializes its changes). Nothing in the directory is ever deleted and codes never change, so a
 * change replaces one row and the one list it belongs to.
 *
 * <p>A user is a few ids, two short strings and a set of queue ids: a few thousand per tenant take
 * a few MB. Password hashes stay in the database.
 */
final class DirectorySnapshot {
  private static final Comparator<Tenant> BY_TENANT_CODE = Comparator.comparing(Tenant::code);
  private static final Comparator<Center> BY_CENTER_CODE = Comparator.comparing(Center::code);
  private static final Comparator<Queue> BY_QUEUE_CODE = Comparator.comparing(Queue::code);

  /** A code within its scope: a center's within its tenant, a queue's within its center. */
  private record Code(long scope, String code) {}

  private final Map<Long, Tenant> tenants = new ConcurrentHashMap<>();
  private final Map<String, Tenant> tenantsByCode = new ConcurrentHashMap<>();
  private final Map<Long, Center> centers = new ConcurrentHashMap<>();
  private final Map<Code, Center> centersByCode = new ConcurrentHashMap<>();
  /** Sorted by code, as the dashboard and the widget list them; replaced whole on a change. */
  private final Map<Long, List<Center>> centersOfTenant = new ConcurrentHashMap<>();
  private final Map<Long, Queue> queues = new ConcurrentHashMap<>();
  private final Map<Code, Queue> queuesByCode = new ConcurrentHashMap<>();
  private final Map<Long, List<Queue>> queuesOfCenter = new ConcurrentHashMap<>();
  private final Map<Long, User> users = new ConcurrentHashMap<>();

  DirectorySnapshot() {}

  DirectorySnapshot(DirectoryRows rows) {
    for (Tenant t : rows.tenants()) {
      tenants.put(t.id(), t);
      tenantsByCode.put(t.code(), t);
    }
    for (Center c : rows.centers()) {
      centers.put(c.id(), c);
      centersByCode.put(new Code(c.tenantId(), c.code()), c);
    }
    centersOfTenant.putAll(sortedGroups(rows.centers(), Center::tenantId, BY_CENTER_CODE));
    for (Queue q : rows.queues()) {
      queues.put(q.id(), q);
      queuesByCode.put(new Code(q.centerId(), q.code()), q);
    }
    queuesOfCenter.putAll(sortedGroups(rows.queues(), Queue::centerId, BY_QUEUE_CODE));
    for (User u : rows.users()) {
      users.put(u.id(), u);
    }
  }

  private static <T> Map<Long, List<T>> sortedGroups(List<T> rows, Function<T, Long> key, Comparator<T> order) {
    return rows.stream().collect(Collectors.groupingBy(key,
        Collectors.collectingAndThen(Collectors.toList(), group -> {
          group.sort(order);
          return List.copyOf(group);
        })));
  }

  Optional<Tenant> tenant(long id) {
    return Optional.ofNullable(tenants.get(id));
  }

  Optional<Tenant> tenant(String code) {
    return Optional.ofNullable(tenantsByCode.get(code));
  }

  List<Tenant> tenants() {
    return tenants.values().stream().sorted(BY_TENANT_CODE).toList();
  }

  Optional<Center> center(long id) {
    return Optional.ofNullable(centers.get(id));
  }

  Optional<Center> center(long tenantId, String code) {
    return Optional.ofNullable(centersByCode.get(new Code(tenantId, code)));
  }

  List<Center> centers(long tenantId) {
    return centersOfTenant.getOrDefault(tenantId, List.of());
  }

  Optional<Queue> queue(long id) {
    return Optional.ofNullable(queues.get(id));
  }

  Optional<Queue> queue(long centerId, String code) {
    return Optional.ofNullable(queuesByCode.get(new Code(centerId, code)));
  }

  List<Queue> queues(long centerId) {
    return queuesOfCenter.getOrDefault(centerId, List.of());
  }

  Optional<User> user(long id) {
    return Optional.ofNullable(users.get(id));
  }

  void put(Tenant t) {
    tenants.put(t.id(), t);
    tenantsByCode.put(t.code(), t);
  }

  void put(Center c) {
    centers.put(c.id(), c);
    centersByCode.put(new Code(c.tenantId(), c.code()), c);
    centersOfTenant.put(c.tenantId(), replaced(centers(c.tenantId()), c, Center::id, BY_CENTER_CODE));
  }

  void put(Queue q) {
    queues.put(q.id(), q);
    queuesByCode.put(new Code(q.centerId(), q.code()), q);
    queuesOfCenter.put(q.centerId(), replaced(queues(q.centerId()), q, Queue::id, BY_QUEUE_CODE));
  }

  void put(User u) {
    users.put(u.id(), u);
  }

  private static <T> List<T> replaced(List<T> list, T row, Function<T, Long> id, Comparator<T> order) {
    List<T> out = new ArrayList<>(list.size() + 1);
    for (T t : list) {
      if (!id.apply(t).equals(id.apply(row))) {
        out.add(t);
      }
    }
    out.add(row);
    out.sort(order);
    return List.copyOf(out);
  }
}
