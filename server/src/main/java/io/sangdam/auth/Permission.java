package io.sangdam.auth;

import io.sangdam.directory.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a signed-in user may do; where they may do it is their role's scope ({@link Access#sees}). Each
 * built-in role holds a fixed set ({@link #of(Role)}) that reproduces what that role could do before
 * permissions existed; a tenant's custom role holds the set its creator chose. The codes are the wire
 * names. {@code hqOnly} ones reach past one tenant and are never part of a custom role.
 */
public enum Permission {
  /** Create tenants, enable or disable one. */
  TENANTS_MANAGE("tenants.manage", true, Role.HQ_ADMIN),
  /** The nodes of the cluster and their centers. */
  CLUSTER_READ("cluster.read", true, Role.HQ_ADMIN),
  /**
   * The tenant's own settings: its name and identity secret, its centers, categories, away reasons, tenant-wide
   * canned responses, webhooks, channels, bot endpoints, bot scenarios and FAQ.
   */
  MANAGE_SETTINGS("manage.settings", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /** The tenant's custom roles. */
  MANAGE_ROLES("manage.roles", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /** Linking a channel's customer to the company's member id, and deciding agents' proposals to. */
  CUSTOMERS_LINK("customers.link", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /** The audit log. */
  AUDIT_READ("audit.read", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /** The access records of personal data (접속기록): reading, exporting and the monthly review; tenant-wide only. */
  ACCESS_LOG_READ("accesslog.read", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /** How long personal data is kept, legal holds, and erasing a customer's data on their request (all audited). */
  RETENTION_MANAGE("retention.manage", false, Role.HQ_ADMIN, Role.TENANT_ADMIN),
  /**
   * Running a center: its hours, settings, queues, widget, alert thresholds, center canned responses, offline
   * inquiries and customer priority; reading its bot scenarios and FAQ.
   */
  MANAGE_CENTERS("manage.centers", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Users: creating, changing, resetting passwords (never above the caller's own level). */
  MANAGE_USERS("manage.users", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** The live dashboard and wallboard. */
  DASHBOARD_READ("dashboard.read", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Statistics on screen. */
  STATS_READ("stats.read", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Statistics as CSV files (audited). */
  STATS_EXPORT("stats.export", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Watching live chats, whispering, taking over and reassigning them. */
  CONVERSATIONS_SUPERVISE("conversations.supervise", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Seeing the original of masked personal data in a transcript (audited). */
  PII_UNMASK("pii.unmask", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER),
  /** Searching past conversations and reading their transcripts and files (an agent: the chats they carried). */
  TRANSCRIPTS_READ("transcripts.read", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER, Role.AGENT),
  /**
   * Seeing customers' callback requests, taking them from the queues one serves, recording their outcome. Held by
   * every built-in role so that any creator may hand it on; only a user with a center has a queue to take them from.
   */
  CALLBACKS_HANDLE("callbacks.handle", false, Role.HQ_ADMIN, Role.TENANT_ADMIN, Role.CENTER_MANAGER, Role.AGENT);

  private final String code;
  private final boolean hqOnly;
  private final Set<Role> builtIn;

  Permission(String code, boolean hqOnly, Role... builtIn) {
    this.code = code;
    this.hqOnly = hqOnly;
    this.builtIn = Set.of(builtIn);
  }

  public String code() {
    return code;
  }

  /** Whether it reaches past a tenant, so that no custom role may hold it. */
  public boolean hqOnly() {
    return hqOnly;
  }

  /**
   * Whether it reaches the whole tenant (its settings, roles, audit log, access records, retention, customer links):
   * built in only above the centers, so a custom role holds it only on the {@code TENANT_ADMIN} base.
   */
  public boolean tenantWide() {
    return !hqOnly && !builtIn.contains(Role.CENTER_MANAGER);
  }

  /** The fixed set of a built-in role. */
  public static Set<Permission> of(Role role) {
    EnumSet<Permission> held = EnumSet.noneOf(Permission.class);
    Arrays.stream(values()).filter(p -> p.builtIn.contains(role)).forEach(held::add);
    return held;
  }

  public static Optional<Permission> byCode(String code) {
    return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
  }
}
