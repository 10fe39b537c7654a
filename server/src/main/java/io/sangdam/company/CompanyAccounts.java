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
 * refused when no mapping applies. A local (break-glass) account of the same name is never taken over.
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

  /** Who signed in, as the directory or provider named them, with their groups. */
  record Person(String username, String name, List<String> groups) {}

  /**
   * The account of {@code person} in the tenant (null: HQ), created or updated from the mapping;
   * {@code signIn} is {@code LDAP} or {@code OIDC}. Blocks on the database.
   */
  Authenticator.Candidate account(Tenant scope, String signIn, Person person, List<GroupMapping> mappings,
      String address) {
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
    Authenticator.Candidate existing = authenticator.candidate(Optional.ofNullable(scope.code()), username);
    if (existing.userId() == null) {
      User created = directory.createUser(new NewUser(scope.id(), centerId, username, name, mapping.role(), null,
          null, Set.of()));
      store.markCompanyUser(created.id(), signIn);
      record(created, "user.created_by_directory", signIn, mapping, address);
      return new Authenticator.Candidate(created.id(), null, true, false);
    }
    if (existing.local()) {
      throw new CompanyDirectory.Refused("an account of this name here signs in with its own password",
          "local account '" + username + "' is not signed in through the company");
    }
    User user = directory.user(existing.userId()).orElseThrow();
    if (!user.enabled()) {
      throw new CompanyDirectory.Refused("your account here is disabled; ask your administrator",
          "account disabled here");
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
