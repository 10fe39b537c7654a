package io.sangdam.api;

import io.sangdam.company.OidcSignIn;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sign-in through a company's OpenID Connect provider, open to anyone: whether a tenant offers
 * it (for the consoles' button), its start (a redirect to the provider) and the provider's callback,
 * which redirects to the console with the new token in the fragment ({@code #sso=}), where neither
 * this server's nor a proxy's logs see it, or with the reason it was refused ({@code #sso-error=}).
 * The start gives the browser its sign-in cookie, which only the callback reads and which every
 * callback clears.
 */
public final class CompanySignInRoutes implements Endpoints {
  /** The cookie binding a sign-in to the browser that started it; sent back to the start and the callback only. */
  static final String BROWSER_COOKIE = "sangdam_oidc";
  private static final String COOKIE_PATH = "/api/auth/oidc";
  /** As long as a started sign-in waits for its callback. */
  private static final Duration COOKIE_AGE = Duration.ofMinutes(10);

  private final OidcSignIn oidc;

  public CompanySignInRoutes(OidcSignIn oidc) {
    this.oidc = oidc;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/auth/company-sign-in", false,
            call -> ApiResponse.ok(Map.of("oidc", oidc.offered(tenant(call))))),
        new Route("GET", "/api/auth/oidc/start", false, this::start),
        new Route("GET", "/api/auth/oidc/callback", false, this::callback));
  }

  /** {@code ?tenant=} (absent: HQ); a code that cannot be a tenant's is refused, not looked up. */
  private static Optional<String> tenant(Call call) {
    Optional<String> tenant = call.query("tenant").filter(t -> !t.isEmpty());
    if (tenant.isPresent() && !Fields.SLUG.matcher(tenant.get()).matches()) {
      throw Fields.invalid("tenant", "must match [a-z0-9][a-z0-9-]{0,31}");
    }
    return tenant;
  }

  private ApiResponse start(Call call) {
    Optional<String> tenant = tenant(call);
    String console = call.query("console").orElse("admin");
    if (!OidcSignIn.CONSOLES.contains(console)) {
      throw Fields.invalid("console", "must be one of " + OidcSignIn.CONSOLES);
    }
    OidcSignIn.Started started = oidc.start(tenant, console);
    return redirect(started.providerUri().toString())
        .withCookie(new ApiResponse.Cookie(BROWSER_COOKIE, started.browserKey(), COOKIE_PATH, COOKIE_AGE));
  }

  private ApiResponse callback(Call call) {
    return finish(call).withCookie(ApiResponse.Cookie.cleared(BROWSER_COOKIE, COOKIE_PATH));
  }

  private ApiResponse finish(Call call) {
    try {
      OidcSignIn.Success success = oidc.callback(call.query("code"), call.query("state"), call.query("error"),
          call.request().cookie(BROWSER_COOKIE), call.request().remoteAddress());
      return redirect("/" + success.console() + "/#sso=" + success.login().token());
    } catch (OidcSignIn.Failed e) {
      return redirect("/" + e.console() + "/#sso-error=" + URLEncoder.encode(e.reason(), StandardCharsets.UTF_8));
    } catch (SangdamException e) {
      return redirect("/admin/#sso-error=unavailable");
    }
  }

  private static ApiResponse redirect(String location) {
    // The token travels in this answer: never kept by a browser's cache, never sent on as a Referer.
    return new ApiResponse(302, null, Map.of("Location", location, "Referrer-Policy", "no-referrer"));
  }
}
