package io.sangdam.directory;

public enum Role {
  HQ_ADMIN,
  TENANT_ADMIN,
  CENTER_MANAGER,
  AGENT
}
