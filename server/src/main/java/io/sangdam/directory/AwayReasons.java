package io.sangdam.directory;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Each tenant's away reasons (이석 사유): listed to agents in {@code welcome}, checked when an agent
 * goes AWAY with one, managed by tenant admins. Kept in memory per tenant once read (an agent's
 * {@code hello} reads them, so its {@code status} frames find them without waiting for the
 * database), read again in the background after {@link #REFRESH}: a change made on another node
 * arrives within about that long; one made here, at once.
 */
public final class AwayReasons {
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private final AwayReasonStore store;
  private final Executor blocking;
  private final LoadingCache<Long, List<AwayReason>> byTenant;

  /** {@code blocking}: where the database is read when a tenant's reasons are not held yet, or are old. */
  public AwayReasons(AwayReasonStore store, Executor blocking) {
    this.store = requireNonNull(store, "store");
    this.blocking = requireNonNull(blocking, "blocking");
    this.byTenant = Caffeine.newBuilder().refreshAfterWrite(REFRESH).executor(blocking).build(store::reasons);
  }

  /** Every reason of the tenant, disabled ones too, in order. Blocks on the database when not held. */
  public List<AwayReason> all(long tenantId) {
    return byTenant.get(tenantId);
  }

  /** The reasons an agent may choose now: the enabled ones. Blocks on the database when not held. */
  public List<AwayReason> usable(long tenantId) {
    return all(tenantId).stream().filter(AwayReason::enabled).toList();
  }

  /**
   * Completes with the enabled reason {@code code} of the tenant, or fails {@code invalid_field}: at
   * once when the tenant's reasons are held, else after reading them on the blocking executor.
   */
  public CompletableFuture<AwayReason> usable(long tenantId, String code) {
    List<AwayReason> held = byTenant.getIfPresent(tenantId);
    if (held != null) {
      return find(held, code).map(CompletableFuture::completedFuture)
          .orElseGet(() -> CompletableFuture.failedFuture(unknown(code)));
    }
    return CompletableFuture.supplyAsync(() -> find(all(tenantId), code).orElseThrow(() -> unknown(code)), blocking);
  }

  private static Optional<AwayReason> find(List<AwayReason> reasons, String code) {
    return reasons.stream().filter(r -> r.enabled() && r.code().equals(code)).findFirst();
  }

  private static SangdamException unknown(String code) {
    return Fields.invalid("reason", "'" + code + "' is not an away reason of this tenant in use");
  }

  /** One reason of the tenant, disabled or not. Blocks on the database when not held. */
  public Optional<AwayReason> reason(long tenantId, String code) {
    return all(tenantId).stream().filter(r -> r.code().equals(code)).findFirst();
  }

  /** A new reason, after the others. Blocks. */
  public AwayReason create(Tenant tenant, String code, String name, Optional<String> nameEn) {
    if (!AwayReason.CODE.matcher(code).matches()) {
      throw Fields.invalid("code", "must match [a-z0-9_]{1,32}");
    }
    AwayReason reason = new AwayReason(tenant.id(), code, requireName("name", name),
        nameEn.map(n -> requireName("nameEn", n)).orElse(null), true);
    // Read first, so a tenant's defaults are written before its first reason of its own (and stay first).
    all(tenant.id());
    try {
      store.insert(reason);
    } catch (DirectoryStore.DuplicateException e) {
      throw new SangdamException(ErrorCode.CONFLICT, "away reason '" + code + "' already exists");
    }
    byTenant.put(tenant.id(), store.reasons(tenant.id()));
    return reason;
  }

  /** Renames, or disables or enables again, a reason. Blocks. */
  public AwayReason update(AwayReason reason, Optional<String> name, Optional<String> nameEn,
      Optional<Boolean> enabled) {
    // A blank English name removes it: the consoles show the name in English too.
    String en = nameEn.isEmpty() ? reason.nameEn() : nameEn.get().isBlank() ? null : requireName("nameEn", nameEn.get());
    AwayReason changed = new AwayReason(reason.tenantId(), reason.code(),
        name.map(n -> requireName("name", n)).orElse(reason.name()), en, enabled.orElse(reason.enabled()));
    store.update(changed);
    byTenant.put(reason.tenantId(), store.reasons(reason.tenantId()));
    return changed;
  }

  private static String requireName(String field, String name) {
    String stripped = name.strip();
    if (stripped.isEmpty()) {
      throw Fields.invalid(field, "must not be blank");
    }
    if (stripped.length() > AwayReason.NAME_LENGTH) {
      throw Fields.invalid(field, "must be at most " + AwayReason.NAME_LENGTH + " characters");
    }
    return stripped;
  }
}
