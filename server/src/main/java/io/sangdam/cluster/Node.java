package io.sangdam.cluster;

import java.util.Optional;

/**
 * A server as the lease records it. Its identity is its configured {@code name}, or else its
 * {@code host} and {@code dataDir} together: the host name alone is shared by every server on the host.
 */
public record Node(Optional<String> name, String host, int port, long pid, String dataDir) {

  /** For the operator: "web1 (host web1, port 8080, pid 4242, data directory /var/lib/sangdam/data)". */
  public String describe() {
    return name.orElse(host) + " (host " + host + ", port " + port + ", pid " + pid + ", data directory " + dataDir
        + ")";
  }
}
