package io.sangdam.directory;

import java.util.List;

/** Every tenant, center, queue and user, as read together: what a directory snapshot is built from. */
public record DirectoryRows(List<Tenant> tenants, List<Center> centers, List<Queue> queues, List<User> users) {
  public DirectoryRows {
    tenants = List.copyOf(tenants);
    centers = List.copyOf(centers);
    queues = List.copyOf(queues);
    users = List.copyOf(users);
  }
}
