package io.sangdam.api;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster of a server without {@code cluster.natsUrl}: itself alone, owning every center of
 * every tenant (it runs every routing engine), renewing nothing over NATS.
 */
public final class SingleNode implements ClusterStatus {
  private final Member self;
  private final Directory directory;

  /** {@code self}: this server as it is listed; its {@code centers} are read from {@code directory} on each view. */
  public SingleNode(Member self, Directory directory) {
    this.self = requireNonNull(self, "self");
    this.directory = requireNonNull(directory, "directory");
  }

  @Override
  public View view() {
    List<String> centers = directory.tenants().stream().sorted(Comparator.comparing(Tenant::code))
        .flatMap(t -> directory.centers(t.id()).stream().map(c -> t.code() + "/" + c.code()).sorted()).toList();
    return new View(false, self.name(), false, true, List.of(new Member(self.name(), self.version(), self.protocol(),
        self.host(), self.port(), self.startedAt(), self.heartbeatAge(), centers, List.of())));
  }
}
