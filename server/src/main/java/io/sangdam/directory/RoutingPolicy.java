package io.sangdam.directory;

public enum RoutingPolicy {
  LEAST_BUSY,
  ROUND_ROBIN,
  MANUAL
}
