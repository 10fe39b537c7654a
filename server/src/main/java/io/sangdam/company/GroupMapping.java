package io.sangdam.company;

import io.sangdam.directory.Role;

/**
 * A directory group (an LDAP group DN, or a value of the OIDC groups claim) and the role, and for
 * agents and center managers the center, that its members get.
 */
public record GroupMapping(String group, Role role, String center) {}
