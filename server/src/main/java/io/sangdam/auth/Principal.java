package io.sangdam.auth;

import io.sangdam.directory.Role;
import io.sangdam.directory.User;

/** An authenticated user with the codes of their tenant and center (null for HQ, and for users above a center). */
public record Principal(User user, String tenantCode, String centerCode) {
  public long id() {
    return user.id();
  }

  public Role role() {
    return user.role();
  }

  public Long tenantId() {
    return user.tenantId();
  }

  public Long centerId() {
    return user.centerId();
  }
}
