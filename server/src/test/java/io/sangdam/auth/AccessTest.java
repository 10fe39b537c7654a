package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {
  private static final Tenant ACME = new Tenant(1, "acme", "Acme", "ACTIVE");
  private static final Tenant OTHER = new Tenant(2, "other", "Other", "ACTIVE");
  private static final Center SEOUL = new Center(10, 1, "seoul", "서울", "Asia/Seoul", null, CenterSettings.DEFAULTS, true);
  private static final Center BUSAN = new Center(11, 1, "busan", "부산", "Asia/Seoul", null, CenterSettings.DEFAULTS, true);
  private static final Center ELSEWHERE = new Center(20, 2, "seoul", "서울", "Asia/Seoul", null, CenterSettings.DEFAULTS, true);

  private static Principal principal(Role role, Long tenant, Long center) {
    return new Principal(new User(1, tenant, center, "u", "U", role, null, Set.of(), true), null, null);
  }

  @Test
  void hqSeesEverything() {
    Principal hq = principal(Role.HQ_ADMIN, null, null);
    assertTrue(Access.sees(hq, OTHER));
    assertTrue(Access.sees(hq, ELSEWHERE));
  }

  @Test
  void aTenantAdminSeesOnlyItsTenantAndItsCenters() {
    Principal admin = principal(Role.TENANT_ADMIN, 1L, null);
    assertTrue(Access.sees(admin, ACME));
    assertFalse(Access.sees(admin, OTHER));
    assertTrue(Access.sees(admin, BUSAN));
    assertFalse(Access.sees(admin, ELSEWHERE));
  }

  @Test
  void aCenterManagerSeesOnlyItsCenter() {
    Principal manager = principal(Role.CENTER_MANAGER, 1L, 10L);
    assertTrue(Access.sees(manager, SEOUL));
    assertFalse(Access.sees(manager, BUSAN));
  }

  @Test
  void outOfScopeIsReportedAsNotFoundAndAMissingRoleAsForbidden() {
    Principal admin = principal(Role.TENANT_ADMIN, 1L, null);
    SangdamException hidden = assertThrows(SangdamException.class, () -> Access.requireTenant(admin, OTHER, "other"));
    assertEquals(ErrorCode.NOT_FOUND, hidden.code());
    SangdamException forbidden = assertThrows(SangdamException.class,
        () -> Access.requireRole(principal(Role.AGENT, 1L, 10L), Role.HQ_ADMIN, Role.TENANT_ADMIN));
    assertEquals(ErrorCode.FORBIDDEN, forbidden.code());
  }

  @Test
  void nobodyGrantsARoleAboveTheirOwn() {
    assertDoesNotThrow(() -> Access.requireMayGrant(principal(Role.TENANT_ADMIN, 1L, null), Role.CENTER_MANAGER));
    assertDoesNotThrow(() -> Access.requireMayGrant(principal(Role.CENTER_MANAGER, 1L, 10L), Role.AGENT));
    assertThrows(SangdamException.class,
        () -> Access.requireMayGrant(principal(Role.CENTER_MANAGER, 1L, 10L), Role.TENANT_ADMIN));
    assertThrows(SangdamException.class, () -> Access.requireMayGrant(principal(Role.AGENT, 1L, 10L), Role.AGENT));
    assertThrows(SangdamException.class, () -> Access.requireMayGrant(principal(Role.HQ_ADMIN, null, null),
        Role.HQ_ADMIN));
  }
}
