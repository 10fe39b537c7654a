package io.sangdam.auth;

import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On an empty database, creates the HQ user {@code admin}, with the configured password or a generated
 * one printed once, which must be changed at its first sign-in; the log says which command sets another
 * ({@code bin/sangdam reset-password admin}).
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final Directory directory;
  private final PasswordHasher passwords;
  private final Secrets secrets;
  private final PasswordStore passwordStates;
  /** What an operator types to set the password again, as the server was launched: {@code bin/sangdam reset-password admin}. */
  private final String resetCommand;

  public AdminBootstrap(Directory directory, PasswordHasher passwords, Secrets secrets, PasswordStore passwordStates,
      String resetCommand) {
    this.directory = directory;
    this.passwords = passwords;
    this.secrets = secrets;
    this.passwordStates = passwordStates;
    this.resetCommand = resetCommand;
  }

  /** The password generated for {@code admin} at this start, if it was created now without a configured one. */
  public Optional<String> ensureAdmin(Optional<String> configured) {
    if (directory.userCount() > 0) {
      return Optional.empty();
    }
    String password = configured.orElseGet(() -> secrets.newToken().substring(0, 16));
    User admin;
    try {
      admin = directory.createUser(new NewUser(null, null, "admin", "HQ Administrator", Role.HQ_ADMIN,
          passwords.hash(password), null, Set.of()));
    } catch (SangdamException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      // Nodes of a cluster starting together on a new database: another one created it first.
      log.info("HQ user 'admin' was created by another node starting at the same time");
      return Optional.empty();
    }
    if (configured.isPresent()) {
      log.info("created HQ user 'admin' with the configured password");
      return Optional.empty();
    }
    passwordStates.requireChange(admin.id());
    log.warn("created HQ user 'admin' with the generated password: {}  (shown only this once and to be changed at "
        + "the first sign-in; to set another, stop the server and run: {})", password, resetCommand);
    return Optional.of(password);
  }
}
