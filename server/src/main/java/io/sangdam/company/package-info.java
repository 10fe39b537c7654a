/**
 * Staff sign-in through the company: a tenant's (or HQ's) LDAP/Active Directory and OpenID Connect
 * settings, the bind and the authorization code flow, and the accounts they create from group mappings.
 */
package io.sangdam.company;
