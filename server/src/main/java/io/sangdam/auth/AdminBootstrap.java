package io.sangdam.auth;

import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On an empty database, creates the HQ user {@code admin}, with the configured password or a generated one printed once. */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final Directory directory;
  private final PasswordHasher passwords;
  private final Secrets secrets;

  public AdminBootstrap(Directory directory, PasswordHasher passwords, Secrets secrets) {
    this.directory = directory;
    this.passwords = passwords;
    this.secrets = secrets;
  }

  public void ensureAdmin(Optional<String> configured) {
    if (directory.userCount() > 0) {
      return;
    }
    String password = configured.orElseGet(() -> secrets.newToken().substring(0, 16));
    try {
      directory.createUser(new NewUser(null, null, "admin", "HQ Administrator", Role.HQ_ADMIN,
          passwords.hash(password), null, Set.of()));
    } catch (SangdamException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      // Nodes of a cluster starting together on a new database: another one created it first.
      log.info("HQ user 'admin' was created by another node starting at the same time");
      return;
    }
    if (configured.isPresent()) {
      log.info("created HQ user 'admin' with the configured password");
    } else {
      log.warn("created HQ user 'admin' with the generated password: {}  (shown only this once; change it)", password);
    }
  }
}
