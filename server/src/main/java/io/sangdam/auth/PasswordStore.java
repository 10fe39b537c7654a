package io.sangdam.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the password and session policy needs persisted: the policies, each local account's password
 * state, and the hashes it had before. Implemented in {@code store}; every method blocks on the database.
 */
public interface PasswordStore {
  /** The policy saved for {@code tenantId}, or for HQ (the default of all) when null. */
  Optional<SecurityPolicy> policy(Long tenantId);

  void savePolicy(Long tenantId, SecurityPolicy policy, Instant at);

  /** The password state of a user, or none for an unknown id. */
  Optional<PasswordState> state(long userId);

  /** The hashes the user had before the current one, newest first, at most {@code count}. */
  List<String> previousHashes(long userId, int count);

  /**
   * Gives the user {@code hash}, set {@code at}; the one it replaces joins the history, of which the
   * newest {@code keep} stay. {@code changeRequired}: whether it must be changed at the next sign-in.
   */
  void setPassword(long userId, String hash, boolean changeRequired, Instant at, int keep);

  /** The user's current password must be changed at their next sign-in (it was generated). */
  void requireChange(long userId);

  /**
   * A user's password as the policy sees it: its hash, when it was set (for accounts from before the
   * policy, when they were created or the policy was installed) and whether it must be changed.
   */
  record PasswordState(String hash, Instant changedAt, boolean changeRequired) {}
}
