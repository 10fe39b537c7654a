package io.sangdam.cluster;

import java.util.Optional;

/**
 * A server as the lease records it. Its identity is its configured {@code name}, or its {@code id},
 * the random node id kept in its data directory ({@link DataDirectory}): the host name and the
 * data directory's path may both be shared by servers on other machines (every container is
 * {@code localhost}, cloned VMs keep their data at the same path), the id kept in the directory is not.
 */
public record Node(Optional<String> name, String id, String host, int port, long pid, String dataDir) {

  /** Whether {@code other} is this node: the same id, or the same configured name. An empty id (a lease taken by an older version) matches nothing. */
  public boolean sameAs(Node other) {
    return (!id.isEmpty() && id.equals(other.id)) || (name.isPresent() && name.equals(other.name));
  }

  /** For the operator: "web1 (host web1, port 8080, pid 4242, data directory /var/lib/sangdam/data)". */
  public String describe() {
    return name.orElse(host) + " (host " + host + ", port " + port + ", pid " + pid + ", data directory " + dataDir
        + ")";
  }
}
