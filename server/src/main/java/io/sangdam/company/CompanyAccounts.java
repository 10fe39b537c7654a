package io.sangdam.company;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.CompanyDirectory;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts of people the company's directory signed in: created at their first sign-in from the
 * mapping of their groups, brought up to date when the mapping gives them another role or center,
 * refused when no mapping applies. An account is bound to the person's directory identity (OIDC issuer
 * and sub, an LDAP entry's GUID or UUID), not to their username: a sign-in under the name of an account
 * bound to someone else is refused, and when the directory renames a person their account follows the
 * new name if no other account holds it. A local (break-glass) account of the same name is never taken over.
 */
final class CompanyAccounts {
  private final Directory directory;
  private final Authenticator authenticator;
  private final CompanySignInStore store;
  private final AuditLog audit;

  CompanyAccounts(Directory directory, Authenticator authenticator, CompanySignInStore store, AuditLog audit) {
    this.directory = directory;
    this.authenticator = authenticator;
    this.store = store;
    this.audit = audit;
  }

  /** Who signed in, as the directory or provider named and identified them, with their groups. */
  record Person(CompanySignInStore.Identity identity, String username, String name, List<String> groups) {}

  /** The longest issuer and subject an account keeps (V050); the OIDC sub is at most 255 characters. */
  private static final int MAX_ISSUER = 500;
  private static final int MAX_SUBJECT = 1_000;

  /**
   * The account of {@code person} in the tenant (null: HQ), created or updated from the mapping. Blocks
   * on the database.
   */
  Authenticator.Candidate account(Tenant scope, Person person, List<GroupMapping> mappings, String address) {
    CompanySignInStore.Identity identity = person.identity();
    if (identity.subject() == null || identity.subject().isEmpty() || identity.subject().length() > MAX_SUBJECT
        || identity.issuer().length() > MAX_ISSUER) {
      throw new CompanyDirectory.Refused("your company sign-in did not say who you are in a way this server can "
          + "keep", "no usable subject from " + identity.signIn() + " " + identity.issuer());
    }
    String signIn = identity.signIn();
    String username = person.username().toLowerCase(Locale.ROOT);
    if (!Fields.SLUG.matcher(username).matches()) {
      throw new CompanyDirectory.Refused("your company username cannot be used here (letters, digits and - only, "
          + "up to 32)", "username '" + person.username() + "' is not a valid username");
    }
    GroupMapping mapping = mappings.stream()
        .filter(m -> person.groups().stream().anyMatch(g -> g.equalsIgnoreCase(m.group())))
        // The most powerful role any of the person's groups gives; ties: the first mapping listed.
        .min(Comparator.comparing(GroupMapping::role))
        .orElseThrow(() -> new CompanyDirectory.Refused("no role here is given to your company groups; ask your "
            + "administrator", "no mapping for groups " + person.groups()));
    Long centerId = null;
    if (mapping.center() != null) {
      centerId = directory.center(scope.id(), mapping.center()).map(Center::id)
          .orElseThrow(() -> new CompanyDirectory.Refused("the center your company group maps to no longer exists",
              "mapped center '" + mapping.center() + "' does not exist"));
    }
    String name = displayName(person, username);
    long tenantKey = CompanySignIn.key(scope.id());
    Optional<Long> bound = store.userOf(tenantKey, identity);
    User user;
    if (bound.isPresent()) {
      user = directory.user(bound.get()).orElseThrow();
      requireEnabled(user);
      if (!user.username().equals(username)) {
        user = renamed(scope, user, username, identity, address);
      }
    } else {
      Authenticator.Candidate existing = authenticator.candidate(Optional.ofNullable(scope.code()), username);
      if (existing.userId() == null) {
        User created = directory.createUser(new NewUser(scope.id(), centerId, username, name, mapping.role(), null,
            null, Set.of()));
        bind(created, tenantKey, identity);
        record(created, "user.created_by_directory", signIn, mapping, address);
        return new Authenticator.Candidate(created.id(), null, true, false);
      }
      user = directory.user(existing.userId()).orElseThrow();
      CompanySignInStore.SignIn held = store.signIn(user.id()).orElseThrow();
      if (existing.local() || held.method().equals("PASSWORD")) {
        throw new CompanyDirectory.Refused("an account of this name here signs in with its own password",
            "local account '" + username + "' is not signed in through the company");
      }
      if (held.identity() != null) {
        throw new CompanyDirectory.Refused("the account of this name here belongs to another person of your "
            + "company directory; ask your administrator", "identity mismatch: account '" + username
            + "' is bound to " + held.identity() + ", not to " + identity);
      }
      requireEnabled(user);
      // Made by the directory before accounts were bound to identities: it becomes this person's now.
      bind(user, tenantKey, identity);
      audit.record(new AuditEntry(user.id(), user.username(), user.tenantId(), user.centerId(),
          "user.bound_by_directory", user.username(), identity.toString(), address));
    }
    if (user.role() != mapping.role() || !Objects.equals(user.centerId(), centerId) || !user.name().equals(name)) {
      boolean moved = user.role() != mapping.role() || !Objects.equals(user.centerId(), centerId);
      User updated = directory.updateUser(user, centerId, name, mapping.role(), user.maxChats(),
          Objects.equals(user.centerId(), centerId) ? user.queueIds() : Set.of(), true);
      if (moved) {
        // Sessions signed in under the old role or center end now, as when an admin changes them.
        authenticator.revokeAll(user.id());
      }
      record(updated, "user.updated_by_directory", signIn, mapping, address);
    }
    return new Authenticator.Candidate(user.id(), null, true, false);
  }

  /** An account an administrator disabled here stays so, whatever the directory says; checked before it changes. */
  private static void requireEnabled(User user) {
    if (!user.enabled()) {
      throw new CompanyDirectory.Refused("your account here is disabled; ask your administrator",
          "account disabled here");
    }
  }

  /**
   * The account of a person the directory renamed, under their new name; refused when another account
   * holds it (an administrator decides which account is whose).
   */
  private User renamed(Tenant scope, User user, String username, CompanySignInStore.Identity identity,
      String address) {
    if (authenticator.candidate(Optional.ofNullable(scope.code()), username).userId() != null) {
      throw new CompanyDirectory.Refused("your company username is now '" + username + "', and another account "
          + "here has that name; ask your administrator", "identity renamed: " + identity + " holds account '"
          + user.username() + "', and its new username '" + username + "' is another account's");
    }
    User renamed = directory.renameUser(user, username);
    // Sessions show and record the old name: they end, as when an administrator changes an account.
    authenticator.revokeAll(user.id());
    audit.record(new AuditEntry(renamed.id(), renamed.username(), renamed.tenantId(), renamed.centerId(),
        "user.renamed_by_directory", renamed.username(), identity.signIn() + ": '" + user.username() + "' is now '"
        + username + "' in the company directory", address));
    return renamed;
  }

  private void bind(User user, long tenantKey, CompanySignInStore.Identity identity) {
    try {
      store.bind(user.id(), tenantKey, identity);
    } catch (CompanySignInStore.AlreadyBound e) {
      throw new CompanyDirectory.Refused("your company account signed in here at the same time under another "
          + "name; ask your administrator", "identity " + identity + " was bound to another account meanwhile");
    }
  }

  /** The tenant accounts are made in: id and code, both null for HQ. */
  record Tenant(Long id, String code) {}

  private static String displayName(Person person, String username) {
    String name = person.name() == null || person.name().isBlank() ? username : person.name().strip();
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  private void record(User user, String action, String signIn, GroupMapping mapping, String address) {
    audit.record(new AuditEntry(user.id(), user.username(), user.tenantId(), user.centerId(), action,
        user.username(), signIn + ": role " + mapping.role() + (mapping.center() == null ? ""
            : ", center " + mapping.center()) + " from group " + mapping.group(), address));
  }
}
