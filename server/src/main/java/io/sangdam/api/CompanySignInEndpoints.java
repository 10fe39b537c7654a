package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.company.CompanySettings;
import io.sangdam.company.CompanySignIn;
import io.sangdam.company.GroupMapping;
import io.sangdam.company.LdapSettings;
import io.sangdam.company.OidcSettings;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Company sign-in settings: HQ's own ({@code /api/company-sign-in}, HQ admins) and each tenant's
 * ({@code /api/tenants/{tenant}/company-sign-in}, HQ and the tenant's admins). A PUT replaces the
 * settings whole ({@code ldap} or {@code oidc} absent or null: off); the LDAP bind password and the
 * OIDC client secret are written, never read back: left out, the stored one stays.
 */
public final class CompanySignInEndpoints implements Endpoints {
  private static final int MAX_MAPPINGS = 200;
  private static final int MAX_TEXT = 500;
  private static final int MAX_CERTIFICATE = 20_000;
  private static final String CALLBACK_PATH = "/api/auth/oidc/callback";

  private final Directory directory;
  private final CompanySignIn company;
  private final AuditLog audit;

  public CompanySignInEndpoints(Directory directory, CompanySignIn company, AuditLog audit) {
    this.directory = directory;
    this.company = company;
    this.audit = audit;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/company-sign-in", true, call -> ApiResponse.ok(view(company.view(hq(call))))),
        new Route("PUT", "/api/company-sign-in", true, call -> save(call, hq(call), null)),
        new Route("GET", "/api/tenants/{tenant}/company-sign-in", true,
            call -> ApiResponse.ok(view(company.view(tenant(call).id())))),
        new Route("PUT", "/api/tenants/{tenant}/company-sign-in", true, call -> {
          Tenant tenant = tenant(call);
          return save(call, tenant.id(), tenant);
        }));
  }

  private static Long hq(Call call) {
    Access.requireRole(call.principal(), Role.HQ_ADMIN);
    return null;
  }

  /** A tenant's settings decide who signs in as what: {@code manage.settings}, as the tenant's other settings. */
  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private ApiResponse save(Call call, Long tenantId, Tenant tenant) {
    Fields body = call.body();
    Principal p = call.principal();
    Fields ldap = nested(body, "ldap");
    Fields oidc = nested(body, "oidc");
    CompanySignIn.View before = company.view(tenantId);
    CompanySettings settings = new CompanySettings(ldap == null ? null : ldap(ldap, p, tenant),
        oidc == null ? null : oidc(oidc, p, tenant));
    Optional<String> bindPassword = ldap == null ? Optional.empty() : ldap.optString("bindPassword", MAX_TEXT);
    Optional<String> clientSecret = oidc == null ? Optional.empty() : oidc.optString("clientSecret", MAX_TEXT);
    if (oidc != null && clientSecret.filter(s -> !s.isBlank()).isEmpty()
        && (clientSecret.isPresent() || !before.clientSecretSet())) {
      throw Fields.missing("oidc.clientSecret");
    }
    CompanySignIn.View saved = company.save(tenantId, new CompanySignIn.Change(settings, bindPassword, clientSecret));
    audit.record(new AuditEntry(p.id(), p.user().username(), tenantId, null, "company_sign_in.updated",
        tenant == null ? "HQ" : tenant.code(), "ldap " + (settings.ldap() == null ? "off" : "on")
            + (bindPassword.isPresent() ? " (bind password changed)" : "") + ", oidc "
            + (settings.oidc() == null ? "off" : "on") + (clientSecret.isPresent() ? " (client secret changed)" : ""),
        call.request().remoteAddress()));
    return ApiResponse.ok(view(saved));
  }

  private static Fields nested(Fields body, String name) {
    JsonNode node = body.node().get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw Fields.invalid(name, "must be an object or null");
    }
    return new Fields(node);
  }

  private LdapSettings ldap(Fields f, Principal p, Tenant tenant) {
    String url = f.string("url", MAX_TEXT);
    URI uri = uri("ldap.url", url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ldap") && !scheme.equals("ldaps") || uri.getHost() == null) {
      throw Fields.invalid("ldap.url", "must be ldap://host[:port] or ldaps://host[:port]");
    }
    boolean startTls = f.optBool("startTls").orElse(false);
    if (startTls && scheme.equals("ldaps")) {
      throw Fields.invalid("ldap.startTls", "is for ldap:// (ldaps:// is TLS already)");
    }
    if (scheme.equals("ldap") && !startTls && !loopback(uri)) {
      throw Fields.invalid("ldap.url", "would send passwords in clear: use ldaps:// or startTls");
    }
    String filter = f.optString("userFilter", MAX_TEXT).orElse("(sAMAccountName={username})");
    if (!CompanySignIn.validUserFilter(filter)) {
      throw Fields.invalid("ldap.userFilter", "must be an LDAP filter with {username}, e.g. (sAMAccountName={username})");
    }
    String certificate = f.optString("caCertificate", MAX_CERTIFICATE).filter(c -> !c.isBlank()).orElse(null);
    if (certificate != null && !CompanySignIn.validCertificates(certificate)) {
      throw Fields.invalid("ldap.caCertificate", "must be PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    return new LdapSettings(url, startTls, f.optString("bindDn", MAX_TEXT).filter(s -> !s.isBlank()).orElse(null),
        f.string("userBase", MAX_TEXT), filter, attribute(f, "groupAttribute", "memberOf"),
        attribute(f, "nameAttribute", "displayName"), certificate, mappings(f, "ldap", p, tenant));
  }

  private OidcSettings oidc(Fields f, Principal p, Tenant tenant) {
    String issuer = f.string("issuer", MAX_TEXT);
    requireHttps("oidc.issuer", uri("oidc.issuer", issuer));
    String redirect = f.string("redirectUri", MAX_TEXT);
    URI redirectUri = uri("oidc.redirectUri", redirect);
    requireHttps("oidc.redirectUri", redirectUri);
    if (!CALLBACK_PATH.equals(redirectUri.getPath()) || redirectUri.getQuery() != null) {
      throw Fields.invalid("oidc.redirectUri", "must be this server's address followed by " + CALLBACK_PATH);
    }
    List<String> scopes = f.has("scopes") ? f.strings("scopes", 20, 100) : List.of("openid", "profile", "email");
    if (!scopes.contains("openid")) {
      throw Fields.invalid("oidc.scopes", "must include openid");
    }
    return new OidcSettings(issuer, f.string("clientId", 200), scopes, attribute(f, "usernameClaim",
        "preferred_username"), attribute(f, "nameClaim", "name"), attribute(f, "groupsClaim", "groups"), redirect,
        mappings(f, "oidc", p, tenant));
  }

  private static String attribute(Fields f, String name, String fallback) {
    String value = f.optString(name, 100).orElse(fallback);
    if (value.isBlank()) {
      throw Fields.invalid(name, "must not be blank");
    }
    return value;
  }

  /**
   * At least one mapping, each to a role the caller may grant: for HQ, HQ admins; for a tenant, its
   * roles below HQ, agents and center managers with a center of the tenant, admins without one.
   */
  private List<GroupMapping> mappings(Fields f, String part, Principal p, Tenant tenant) {
    String field = part + ".mappings";
    JsonNode node = f.node().get("mappings");
    if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_MAPPINGS) {
      throw Fields.invalid(field, "must list 1 to " + MAX_MAPPINGS + " mappings of a group to a role");
    }
    List<GroupMapping> mappings = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isObject()) {
        throw Fields.invalid(field, "must hold objects {group, role, center}");
      }
      Fields m = new Fields(item);
      String group = m.string("group", MAX_TEXT);
      if (group.isBlank()) {
        throw Fields.invalid(field, "names a blank group");
      }
      Role role = m.oneOf("role", Role.class);
      Optional<String> center = m.optSlug("center");
      if (tenant == null) {
        if (role != Role.HQ_ADMIN || center.isPresent()) {
          throw Fields.invalid(field, "of HQ give the role HQ_ADMIN, without a center");
        }
      } else {
        if (role == Role.HQ_ADMIN) {
          throw Fields.invalid(field, "of a tenant cannot give HQ_ADMIN");
        }
        Access.requireMayGrant(p, role);
        boolean needsCenter = role == Role.AGENT || role == Role.CENTER_MANAGER;
        if (needsCenter != center.isPresent()) {
          throw Fields.invalid(field, needsCenter ? "to " + role + " need a center" : "to " + role
              + " take no center");
        }
        if (center.isPresent() && directory.center(tenant.id(), center.get()).isEmpty()) {
          throw Fields.invalid(field, "name unknown center '" + center.get() + "'");
        }
      }
      mappings.add(new GroupMapping(group.strip(), role, center.orElse(null)));
    }
    return mappings;
  }

  private static URI uri(String field, String text) {
    try {
      URI uri = new URI(text);
      if (!uri.isAbsolute()) {
        throw Fields.invalid(field, "must be an absolute address");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw Fields.invalid(field, "is not an address: " + e.getReason());
    }
  }

  /** https, or http to this machine (a provider beside the server, and tests). */
  private static void requireHttps(String field, URI uri) {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (uri.getHost() == null || !https && !("http".equalsIgnoreCase(uri.getScheme()) && loopback(uri))) {
      throw Fields.invalid(field, "must be an https:// address");
    }
  }

  private static boolean loopback(URI uri) {
    return List.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT));
  }

  private static Map<String, Object> view(CompanySignIn.View v) {
    Map<String, Object> out = new LinkedHashMap<>();
    LdapSettings l = v.settings().ldap();
    if (l == null) {
      out.put("ldap", null);
    } else {
      Map<String, Object> ldap = new LinkedHashMap<>();
      ldap.put("url", l.url());
      ldap.put("startTls", l.startTls());
      ldap.put("bindDn", l.bindDn());
      ldap.put("bindPasswordSet", v.bindPasswordSet());
      ldap.put("userBase", l.userBase());
      ldap.put("userFilter", l.userFilter());
      ldap.put("groupAttribute", l.groupAttribute());
      ldap.put("nameAttribute", l.nameAttribute());
      ldap.put("caCertificate", l.caCertificate());
      ldap.put("mappings", mappings(l.mappings()));
      out.put("ldap", ldap);
    }
    OidcSettings o = v.settings().oidc();
    if (o == null) {
      out.put("oidc", null);
    } else {
      Map<String, Object> oidc = new LinkedHashMap<>();
      oidc.put("issuer", o.issuer());
      oidc.put("clientId", o.clientId());
      oidc.put("clientSecretSet", v.clientSecretSet());
      oidc.put("scopes", o.scopes());
      oidc.put("usernameClaim", o.usernameClaim());
      oidc.put("nameClaim", o.nameClaim());
      oidc.put("groupsClaim", o.groupsClaim());
      oidc.put("redirectUri", o.redirectUri());
      oidc.put("mappings", mappings(o.mappings()));
      out.put("oidc", oidc);
    }
    return out;
  }

  private static List<Map<String, Object>> mappings(List<GroupMapping> mappings) {
    return mappings.stream().map(m -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("group", m.group());
      out.put("role", m.role().name());
      out.put("center", m.center());
      return out;
    }).toList();
  }
}
