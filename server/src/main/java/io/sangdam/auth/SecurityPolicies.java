package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.directory.Role;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The policy in force for each tenant (its own, else HQ's, else {@link SecurityPolicy#DEFAULT}), read
 * through a short cache: a change reaches this node at once and the others within {@link #CACHE_TTL}.
 * Also the gate of the address ranges: admins (HQ, tenant admins, center managers) must come from the
 * policy's admin ranges, agents from its agent ranges. Methods block on the database.
 */
public final class SecurityPolicies {
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  /** A refused address is audited once per user and address in this long, so a console retrying floods nothing. */
  private static final Duration REFUSAL_AUDITED_EVERY = Duration.ofMinutes(10);
  /** The cache key of HQ's own policy (tenant ids start at 1). */
  private static final long HQ = 0;

  private final PasswordStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final Cache<Long, Optional<SecurityPolicy>> own;
  private final Cache<String, Boolean> refusalsAudited;

  public SecurityPolicies(PasswordStore store, AuditLog audit, Clock clock, Ticker ticker) {
    this.store = requireNonNull(store, "store");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.own = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).ticker(ticker).build();
    this.refusalsAudited = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(REFUSAL_AUDITED_EVERY)
        .ticker(ticker).build();
  }

  /** The policy that applies to the users of {@code tenantId} (null: HQ's users). */
  public SecurityPolicy of(Long tenantId) {
    if (tenantId != null) {
      Optional<SecurityPolicy> tenant = own(tenantId);
      if (tenant.isPresent()) {
        return tenant.get();
      }
    }
    return own(null).orElse(SecurityPolicy.DEFAULT);
  }

  /** The policy {@code tenantId} (null: HQ) saved itself, if it did. */
  public Optional<SecurityPolicy> own(Long tenantId) {
    return own.get(tenantId == null ? HQ : tenantId, k -> store.policy(tenantId));
  }

  /** Saves the policy of {@code tenantId} (null: HQ's, the default of every tenant without its own). */
  public void save(Long tenantId, SecurityPolicy policy) {
    store.savePolicy(tenantId, policy, clock.instant());
    if (tenantId == null) {
      // HQ's policy is the default of the tenants without their own: their cached answers may be stale too.
      own.invalidateAll();
    } else {
      own.invalidate(tenantId);
    }
  }

  /** The ranges the console of {@code role} must be used from. */
  public static AddressRanges rangesFor(SecurityPolicy policy, Role role) {
    return role == Role.AGENT ? policy.agentRanges() : policy.adminRanges();
  }

  /**
   * Refuses (403 {@code address_not_allowed}) a user whose policy limits their role to ranges
   * {@code address} is outside of; the first refusal of a user and address in ten minutes is audited.
   */
  public void requireAddress(Principal p, String address) {
    AddressRanges ranges = rangesFor(of(p.tenantId()), p.role());
    if (ranges.contains(address)) {
      return;
    }
    if (refusalsAudited.asMap().putIfAbsent(p.id() + "@" + address, Boolean.TRUE) == null) {
      audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(), p.centerId(), "auth.address.refused",
          p.user().username(), address + " is outside the allowed ranges " + ranges, address));
    }
    throw new SangdamException(ErrorCode.ADDRESS_NOT_ALLOWED, "your address " + address
        + " is outside the ranges your organisation allows for this console");
  }
}
