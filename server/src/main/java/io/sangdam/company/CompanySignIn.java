package io.sangdam.company;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.CompanyDirectory;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The company sign-in settings of each tenant and of HQ, and the LDAP sign-in that uses them.
 * Settings are cached for {@link #CACHE_TTL}: a change made on another node applies here within it.
 */
public final class CompanySignIn implements CompanyDirectory {
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);

  /** A scope's settings with whether each secret is set (never the secrets themselves). */
  public record View(CompanySettings settings, boolean bindPasswordSet, boolean clientSecretSet) {}

  /** A change of settings; a secret left empty keeps the stored one, a blank one removes it. */
  public record Change(CompanySettings settings, Optional<String> bindPassword, Optional<String> clientSecret) {}

  private final CompanySignInStore store;
  private final Directory directory;
  private final ObjectMapper json;
  private final Clock clock;
  private final LdapDirectory ldap;
  private final CompanyAccounts accounts;
  private final LoadingCache<Long, Optional<CompanySignInStore.Stored>> cache;

  public CompanySignIn(CompanySignInStore store, Directory directory, Authenticator authenticator, AuditLog audit,
      ObjectMapper json, Clock clock, Ticker ticker) {
    this.store = requireNonNull(store, "store");
    this.directory = requireNonNull(directory, "directory");
    this.json = requireNonNull(json, "json");
    this.clock = requireNonNull(clock, "clock");
    this.ldap = new LdapDirectory(clock);
    this.accounts = new CompanyAccounts(directory, authenticator, store, audit);
    this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).ticker(ticker)
        .build(store::settings);
  }

  /** Whether a user filter, with {@code {username}} filled in, is an LDAP filter. */
  public static boolean validUserFilter(String template) {
    try {
      com.unboundid.ldap.sdk.Filter.create(template.replace("{username}", "x"));
      return template.contains("{username}");
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      return false;
    }
  }

  /** Whether a text holds PEM certificates (the CA a directory's TLS certificate is checked against). */
  public static boolean validCertificates(String pem) {
    try {
      LdapDirectory.certificates(pem);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** A tenant's key in the store: its id, or 0 for HQ. */
  static long key(Long tenantId) {
    return tenantId == null ? 0L : tenantId;
  }

  public View view(Long tenantId) {
    Optional<CompanySignInStore.Stored> stored = cache.get(key(tenantId));
    return new View(settings(stored), stored.map(s -> s.ldapBindPassword() != null).orElse(false),
        stored.map(s -> s.oidcClientSecret() != null).orElse(false));
  }

  /** Replaces the settings of the tenant (null: HQ); the secrets as {@link Change} says. */
  public View save(Long tenantId, Change change) {
    long key = key(tenantId);
    Optional<CompanySignInStore.Stored> before = store.settings(key);
    String bindPassword = secret(change.bindPassword(), before.map(CompanySignInStore.Stored::ldapBindPassword));
    String clientSecret = secret(change.clientSecret(), before.map(CompanySignInStore.Stored::oidcClientSecret));
    try {
      store.save(key, new CompanySignInStore.Stored(json.writeValueAsString(change.settings()),
          change.settings().ldap() == null ? null : bindPassword,
          change.settings().oidc() == null ? null : clientSecret), clock.instant());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("settings records always serialize", e);
    }
    cache.invalidate(key);
    return view(tenantId);
  }

  private static String secret(Optional<String> given, Optional<String> stored) {
    return given.map(s -> s.isBlank() ? null : s).orElse(stored.orElse(null));
  }

  /** The settings of a tenant by code (empty: HQ), or none for an unknown or disabled tenant. */
  Optional<Scoped> scoped(Optional<String> tenantCode) {
    if (tenantCode.isEmpty()) {
      return scoped(new CompanyAccounts.Tenant(null, null));
    }
    return directory.tenantByCode(tenantCode.get()).filter(t -> t.status().equals("ACTIVE"))
        .flatMap(t -> scoped(new CompanyAccounts.Tenant(t.id(), t.code())));
  }

  /** The same by the tenant's id (null: HQ). */
  Optional<Scoped> scopedById(Long tenantId) {
    if (tenantId == null) {
      return scoped(new CompanyAccounts.Tenant(null, null));
    }
    return directory.tenant(tenantId).filter(t -> t.status().equals("ACTIVE"))
        .flatMap(t -> scoped(new CompanyAccounts.Tenant(t.id(), t.code())));
  }

  private Optional<Scoped> scoped(CompanyAccounts.Tenant tenant) {
    Optional<CompanySignInStore.Stored> stored = cache.get(key(tenant.id()));
    return stored.map(s -> new Scoped(tenant, settings(stored), s));
  }

  /** A tenant's settings with their secrets. */
  record Scoped(CompanyAccounts.Tenant tenant, CompanySettings settings, CompanySignInStore.Stored stored) {}

  private CompanySettings settings(Optional<CompanySignInStore.Stored> stored) {
    return stored.map(s -> {
      try {
        return json.readValue(s.settingsJson(), CompanySettings.class);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("stored company sign-in settings are not readable", e);
      }
    }).orElse(CompanySettings.NONE);
  }

  @Override
  public boolean configured(Optional<String> tenant) {
    return scoped(tenant).map(s -> s.settings().ldap() != null).orElse(false);
  }

  @Override
  public Optional<Authenticator.Candidate> signIn(Optional<String> tenant, String username, String password,
      String address) {
    Optional<Scoped> scoped = scoped(tenant).filter(s -> s.settings().ldap() != null);
    if (scoped.isEmpty()) {
      return Optional.empty();
    }
    LdapSettings settings = scoped.get().settings().ldap();
    return ldap.authenticate(settings, scoped.get().stored().ldapBindPassword(), username, password)
        .map(account -> accounts.account(scoped.get().tenant(),
            new CompanyAccounts.Person(account.identity(), username, account.name(), account.groups()),
            settings.mappings(), address));
  }

  /** For the OpenID Connect sign-in: the same accounts from the same kind of mapping. */
  CompanyAccounts accounts() {
    return accounts;
  }
}
