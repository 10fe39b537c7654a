package io.sangdam.company;

import java.util.List;

/**
 * A company's OpenID Connect provider: its issuer (discovery at
 * {@code issuer/.well-known/openid-configuration}), this server's client there (the secret kept
 * apart, never shown), the scopes asked for, which claims carry the username, the display name and
 * the groups, and the redirect URI registered at the provider ({@code .../api/auth/oidc/callback}).
 */
public record OidcSettings(String issuer, String clientId, List<String> scopes, String usernameClaim,
    String nameClaim, String groupsClaim, String redirectUri, List<GroupMapping> mappings) {
  public OidcSettings {
    scopes = List.copyOf(scopes);
    mappings = List.copyOf(mappings);
  }
}
