package io.sangdam.company;

import java.util.List;

/**
 * How to reach and read a company's LDAP or Active Directory. {@code url} is {@code ldap://} or
 * {@code ldaps://}; {@code startTls} upgrades an {@code ldap://} connection. The search binds as
 * {@code bindDn} (with a password kept apart, never shown), finds one entry under {@code userBase} by
 * {@code userFilter} with {@code {username}} replaced, and reads its groups from {@code groupAttribute}
 * (AD: {@code memberOf}). {@code caCertificate}: a PEM certificate to trust for TLS instead of the
 * JVM's trust store (a company's own CA), or null.
 */
public record LdapSettings(String url, boolean startTls, String bindDn, String userBase, String userFilter,
    String groupAttribute, String nameAttribute, String caCertificate, List<GroupMapping> mappings) {
  public LdapSettings {
    mappings = List.copyOf(mappings);
  }
}
