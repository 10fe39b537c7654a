package io.sangdam.company;

/** A tenant's (or HQ's) company sign-in: either, both or neither of LDAP and OpenID Connect (null when off). */
public record CompanySettings(LdapSettings ldap, OidcSettings oidc) {
  public static final CompanySettings NONE = new CompanySettings(null, null);
}
