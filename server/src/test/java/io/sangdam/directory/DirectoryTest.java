package io.sangdam.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.changes.Change;
import io.sangdam.changes.LocalChanges;
import io.sangdam.testing.InMemoryDirectoryStore;
import io.sangdam.threads.HotThreads;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The directory's snapshot: what hot threads are answered from, and when it reads its store. */
class DirectoryTest {
  private static final NewQueue LOAN = new NewQueue("loan", "Loan", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null);

  private final InMemoryDirectoryStore store = new InMemoryDirectoryStore();
  private final Directory directory = new Directory(store, new LocalChanges());
  private final ExecutorService routing = Executors.newSingleThreadExecutor(HotThreads.named("routing"));

  @AfterEach
  void stop() {
    routing.shutdownNow();
  }

  /** What {@code lookup} answers on a hot thread; fails if it read the store to answer. */
  private <T> T onHotThread(Supplier<T> lookup) {
    int reads = store.reads();
    T answer = CompletableFuture.supplyAsync(lookup, routing).join();
    assertEquals(reads, store.reads(), "a hot thread read the store");
    return answer;
  }

  @Test
  void whatWasThereAtStartIsAnsweredOnHotThreadsWithoutTheStore() {
    Tenant t = store.insertTenant("acme", "Acme");
    Center seoul = store.insertCenter(t.id(), "seoul", "Seoul", "Asia/Seoul");
    Center busan = store.insertCenter(t.id(), "busan", "Busan", "Asia/Seoul");
    Queue loan = store.insertQueue(seoul.id(), LOAN);
    User kim = store.insertUser(new NewUser(t.id(), seoul.id(), "kim", "Kim", Role.AGENT, "hash", null,
        java.util.Set.of(loan.id())));
    directory.load();

    assertEquals(Optional.of(t), onHotThread(() -> directory.tenant(t.id())));
    assertEquals(Optional.of(t), onHotThread(() -> directory.tenantByCode("acme")));
    assertEquals(List.of(t), onHotThread(directory::tenants));
    assertEquals(Optional.of(seoul), onHotThread(() -> directory.center(seoul.id())));
    assertEquals(Optional.of(busan), onHotThread(() -> directory.center(t.id(), "busan")));
    assertEquals(List.of(busan, seoul), onHotThread(() -> directory.centers(t.id())), "by code");
    assertEquals(Optional.of(loan), onHotThread(() -> directory.queue(loan.id())));
    assertEquals(Optional.of(loan), onHotThread(() -> directory.queue(seoul.id(), "loan")));
    assertEquals(List.of(loan), onHotThread(() -> directory.queues(seoul.id())));
    assertEquals(List.of(), onHotThread(() -> directory.queues(busan.id())));
    assertEquals(Optional.of(kim), onHotThread(() -> directory.user(kim.id())));
  }

  @Test
  void aChangeMadeHereIsSeenByTheVeryNextLookupOnAHotThread() {
    Tenant t = directory.createTenant("acme", "Acme");
    Center seoul = directory.createCenter(t, "seoul", "Seoul", Optional.empty());
    Queue loan = directory.createQueue(seoul, LOAN);
    assertEquals(Optional.of(loan), onHotThread(() -> directory.queue(seoul.id(), "loan")));
    assertEquals(List.of(seoul), onHotThread(() -> directory.centers(t.id())));

    Queue closed = directory.updateQueue(loan, new NewQueue("loan", "대출", RoutingPolicy.MANUAL, 2, 1, true, null,
        null), false);
    assertEquals(Optional.of(closed), onHotThread(() -> directory.queue(loan.id())));
    assertEquals(List.of(closed), onHotThread(() -> directory.queues(seoul.id())), "the list too");

    directory.setSettings(seoul, new CenterSettings(45, null, null, null, true, 20));
    assertEquals(45, onHotThread(() -> directory.center(seoul.id())).orElseThrow().settings().agentGraceSeconds());

    Tenant disabled = directory.updateTenant(t, Optional.empty(), Optional.of(false));
    assertEquals(Optional.of(disabled), onHotThread(() -> directory.tenantByCode("acme")));

    User kim = directory.createUser(new NewUser(t.id(), seoul.id(), "kim", "Kim", Role.AGENT, "hash", null,
        java.util.Set.of()));
    User moved = directory.updateUser(kim, seoul.id(), "Kim", Role.AGENT, 5, java.util.Set.of(loan.id()), true);
    assertEquals(Optional.of(moved), onHotThread(() -> directory.user(kim.id())));
  }

  @Test
  void aRowMadeElsewhereIsReadOnlyWhereWaitingIsAllowedAndThenKept() {
    Tenant t = store.insertTenant("acme", "Acme");
    assertEquals(Optional.empty(), onHotThread(() -> directory.tenant(t.id())), "not before the next refresh");
    assertEquals(Optional.of(t), directory.tenantByCode("acme"), "a thread that may block reads it");
    assertEquals(Optional.of(t), onHotThread(() -> directory.tenant(t.id())), "and keeps it");
  }

  @Test
  void aLookUpFoundNowhereIsNotReadAgainUntilTheNextLoadOrChange() {
    assertEquals(Optional.empty(), directory.tenantByCode("nobody"));
    int reads = store.reads();
    for (int i = 0; i < 5; i++) {
      assertEquals(Optional.empty(), directory.tenantByCode("nobody"), "a widget retrying an unknown code");
    }
    assertEquals(reads, store.reads(), "answered from memory");

    Tenant elsewhere = store.insertTenant("nobody", "Made elsewhere");
    directory.load();
    assertEquals(Optional.of(elsewhere), directory.tenantByCode("nobody"), "the next load forgets the miss");

    assertEquals(Optional.empty(), directory.tenantByCode("later"));
    Tenant later = directory.createTenant("later", "Made here");
    assertEquals(Optional.of(later), directory.tenantByCode("later"), "a change made here forgets it too");
  }

  @Test
  void aRefreshBringsChangesMadeElsewhere() {
    Tenant t = directory.createTenant("acme", "Acme");
    Center seoul = directory.createCenter(t, "seoul", "Seoul", Optional.empty());
    Queue loan = directory.createQueue(seoul, LOAN);
    store.updateQueue(loan.id(), LOAN, false);
    Queue other = store.insertQueue(seoul.id(), new NewQueue("card", "Card", RoutingPolicy.MANUAL, 1, 0, false,
        null, null));
    assertTrue(onHotThread(() -> directory.queue(loan.id())).orElseThrow().enabled(), "not yet read again");

    directory.refresh();
    assertEquals(false, onHotThread(() -> directory.queue(loan.id())).orElseThrow().enabled());
    assertEquals(List.of(other, store.queue(loan.id()).orElseThrow()), onHotThread(() -> directory.queues(seoul.id())));
  }

  @Test
  void aRefreshThatReadBeforeAChangeMadeHereDoesNotUndoIt() {
    Tenant t = directory.createTenant("acme", "Acme");
    Center seoul = directory.createCenter(t, "seoul", "Seoul", Optional.empty());
    store.onEverything(() -> directory.createQueue(seoul, LOAN));
    directory.refresh();
    assertTrue(onHotThread(() -> directory.queue(seoul.id(), "loan")).isPresent(), "the queue created meanwhile");

    store.onEverything(() -> {});
    directory.refresh();
    assertTrue(onHotThread(() -> directory.queue(seoul.id(), "loan")).isPresent());
  }

  @Test
  void aRefreshThatCannotReadKeepsWhatWasReadBefore() {
    Tenant t = store.insertTenant("acme", "Acme");
    directory.load();
    store.onEverything(() -> {
      throw new IllegalStateException("the database does not answer");
    });
    directory.refresh();
    assertEquals(Optional.of(t), onHotThread(() -> directory.tenant(t.id())));
  }

  /** Every row created or changed here is announced, once the snapshot has it, for the other nodes. */
  @Test
  void everyChangeMadeHereIsAnnouncedAfterTheSnapshotHasIt() {
    List<Change> announced = new CopyOnWriteArrayList<>();
    List<Boolean> seenFirst = new CopyOnWriteArrayList<>();
    Directory[] self = new Directory[1];
    Directory announcing = new Directory(store, change -> {
      announced.add(change);
      Change.DirectoryRow row = (Change.DirectoryRow) change;
      seenFirst.add(switch (row.kind()) {
        case TENANT -> self[0].tenant(row.id()).isPresent();
        case CENTER -> self[0].center(row.id()).isPresent();
        case QUEUE -> self[0].queue(row.id()).isPresent();
        case USER -> self[0].user(row.id()).isPresent();
      });
    });
    self[0] = announcing;
    Tenant t = announcing.createTenant("acme", "Acme");
    announcing.updateTenant(t, Optional.of("Acme Group"), Optional.empty());
    Center seoul = announcing.createCenter(t, "seoul", "Seoul", Optional.empty());
    announcing.updateCenter(seoul, Optional.of("Seoul HQ"), Optional.empty(), Optional.empty());
    announcing.setSettings(seoul, new CenterSettings(45, null, null, null, true, 20));
    announcing.setHours(seoul, null);
    Queue loan = announcing.createQueue(seoul, LOAN);
    announcing.updateQueue(loan, LOAN, false);
    User kim = announcing.createUser(new NewUser(t.id(), seoul.id(), "kim", "Kim", Role.AGENT, "hash", null, Set.of()));
    announcing.updateUser(kim, seoul.id(), "Kim Minji", Role.AGENT, null, Set.of(), true);

    Change.DirectoryRow tenant = new Change.DirectoryRow(Change.Kind.TENANT, t.id());
    Change.DirectoryRow center = new Change.DirectoryRow(Change.Kind.CENTER, seoul.id());
    Change.DirectoryRow queue = new Change.DirectoryRow(Change.Kind.QUEUE, loan.id());
    Change.DirectoryRow user = new Change.DirectoryRow(Change.Kind.USER, kim.id());
    assertEquals(List.of(tenant, tenant, center, center, center, center, queue, queue, user, user), announced);
    assertTrue(seenFirst.stream().allMatch(b -> b), "in the snapshot before it is announced");
  }

  /** A row another node changed is read again and answered on hot threads, without the next refresh. */
  @Test
  void aRowChangedElsewhereIsReadAgainWhenAnnounced() {
    Tenant t = store.insertTenant("acme", "Acme");
    Center seoul = store.insertCenter(t.id(), "seoul", "Seoul", "Asia/Seoul");
    directory.load();
    store.updateTenant(t.id(), "Acme Group", true);
    Center busan = store.insertCenter(t.id(), "busan", "Busan", "Asia/Seoul");
    assertEquals("Acme", onHotThread(() -> directory.tenant(t.id())).orElseThrow().name(), "not told yet");

    directory.changedElsewhere(new Change.DirectoryRow(Change.Kind.TENANT, t.id()));
    directory.changedElsewhere(new Change.DirectoryRow(Change.Kind.CENTER, busan.id()));
    directory.changedElsewhere(new Change.DirectoryRow(Change.Kind.USER, 999));
    assertEquals("Acme Group", onHotThread(() -> directory.tenant(t.id())).orElseThrow().name());
    assertEquals(List.of(busan, seoul), onHotThread(() -> directory.centers(t.id())));
    assertEquals(Optional.empty(), onHotThread(() -> directory.user(999)), "a row the store does not have: none");
  }
}
