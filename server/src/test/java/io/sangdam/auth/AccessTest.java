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
import java.util.EnumSet;
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

  private static Principal holding(Role base, Long center, Set<Long> extraCenters, Permission... permissions) {
    return new Principal(new User(2, 1L, center, "c", "C", base, null, Set.of(), true), "acme", null,
        new CustomRole(7, 1, "custom", base, Set.of(permissions), extraCenters));
  }

  @Test
  void theBuiltInRolesHoldTheirFixedSets() {
    assertEquals(EnumSet.allOf(Permission.class), Permission.of(Role.HQ_ADMIN));
    assertEquals(EnumSet.complementOf(EnumSet.of(Permission.TENANTS_MANAGE, Permission.CLUSTER_READ)),
        Permission.of(Role.TENANT_ADMIN));
    assertEquals(EnumSet.of(Permission.MANAGE_CENTERS, Permission.MANAGE_USERS, Permission.DASHBOARD_READ,
        Permission.STATS_READ, Permission.STATS_EXPORT, Permission.CONVERSATIONS_SUPERVISE, Permission.PII_UNMASK,
        Permission.TRANSCRIPTS_READ, Permission.CALLBACKS_HANDLE), Permission.of(Role.CENTER_MANAGER));
    assertEquals(EnumSet.of(Permission.TRANSCRIPTS_READ, Permission.CALLBACKS_HANDLE), Permission.of(Role.AGENT));
    assertTrue(principal(Role.CENTER_MANAGER, 1L, 10L).may(Permission.PII_UNMASK));
  }

  @Test
  void aCustomRolesPermissionsReplaceItsBasesAndItsCentersWidenTheScope() {
    Principal reviewer = holding(Role.CENTER_MANAGER, 10L, Set.of(11L), Permission.TRANSCRIPTS_READ);
    assertDoesNotThrow(() -> Access.require(reviewer, Permission.TRANSCRIPTS_READ));
    SangdamException refused = assertThrows(SangdamException.class,
        () -> Access.require(reviewer, Permission.PII_UNMASK));
    assertEquals(ErrorCode.FORBIDDEN, refused.code());
    assertTrue(refused.getMessage().contains("pii.unmask"), refused.getMessage());
    assertTrue(Access.sees(reviewer, SEOUL));
    assertTrue(Access.sees(reviewer, BUSAN));
    assertFalse(Access.sees(reviewer, ELSEWHERE));
    assertFalse(Access.sees(reviewer, 2, 11), "a center id of another tenant is never in scope");
  }

  @Test
  void aCheckByBuiltInRoleIsClosedToEveryCustomRole() {
    Principal manager = holding(Role.CENTER_MANAGER, 10L, Set.of(), Permission.values());
    assertThrows(SangdamException.class, () -> Access.requireRole(manager, Role.CENTER_MANAGER));
    assertDoesNotThrow(() -> Access.requireRole(principal(Role.CENTER_MANAGER, 1L, 10L), Role.CENTER_MANAGER));
  }

  @Test
  void nobodyGrantsMoreThanTheyHoldNorWhatReachesPastATenant() {
    Principal shaper = holding(Role.TENANT_ADMIN, null, Set.of(), Permission.MANAGE_USERS,
        Permission.TRANSCRIPTS_READ, Permission.CALLBACKS_HANDLE);
    assertDoesNotThrow(() -> Access.requireMayGrant(shaper, Role.AGENT));
    assertThrows(SangdamException.class, () -> Access.requireMayGrant(shaper, Role.CENTER_MANAGER),
        "a built-in manager holds pii.unmask, which the shaper does not");
    assertThrows(SangdamException.class, () -> Access.requireMayGrant(shaper, Role.AGENT,
        Set.of(Permission.STATS_READ)));
    assertThrows(SangdamException.class, () -> Access.requireMayGrant(principal(Role.HQ_ADMIN, null, null),
        Role.TENANT_ADMIN, Set.of(Permission.CLUSTER_READ)));
  }
}
