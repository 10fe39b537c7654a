package io.sangdam.accesslog;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Principal;

/**
 * A member of staff reading personal data, and from where: the client address as the server sees it (behind a
 * trusted proxy, the address the proxy serves, {@code http.trustedProxies}).
 */
public record Reader(Principal principal, String address) {
  public Reader {
    requireNonNull(principal, "principal");
  }
}
