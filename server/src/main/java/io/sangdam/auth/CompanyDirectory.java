package io.sangdam.auth;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Optional;

/**
 * Sign-in with a password through the company's LDAP or Active Directory, for a tenant (empty: HQ)
 * that set one up. Implemented outside {@code auth}, which only decides when to ask it.
 */
public interface CompanyDirectory {
  /** Whether the tenant signs in its users that are not local through a directory; read from a cache. */
  boolean configured(Optional<String> tenant);

  /**
   * Binds as the user, then creates or updates their account from the directory's groups. Empty when
   * the directory refused the username or password (a failure the throttle counts); {@link Refused}
   * when it accepted them but the account may not sign in. Blocks on the network and the database.
   */
  Optional<Authenticator.Candidate> signIn(Optional<String> tenant, String username, String password,
      String address);

  /**
   * The password was right but the account may not sign in (disabled or expired in the directory, no
   * mapping gives it a role): a reason fit to show, and the detail for the audit log.
   */
  final class Refused extends SangdamException {
    private final String detail;

    public Refused(String message, String detail) {
      super(ErrorCode.FORBIDDEN, message);
      this.detail = detail;
    }

    public String detail() {
      return detail;
    }
  }

  /** No company directory anywhere: every sign-in checks a local password. */
  CompanyDirectory NONE = new CompanyDirectory() {
    @Override
    public boolean configured(Optional<String> tenant) {
      return false;
    }

    @Override
    public Optional<Authenticator.Candidate> signIn(Optional<String> tenant, String username, String password,
        String address) {
      return Optional.empty();
    }
  };
}
