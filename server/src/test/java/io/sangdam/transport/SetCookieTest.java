package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.api.ApiResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an answer's cookies are written: always HttpOnly and SameSite=Lax, Secure only over TLS. */
class SetCookieTest {
  private static final ApiResponse.Cookie SIGN_IN =
      new ApiResponse.Cookie("sangdam_oidc", "abc-_09", "/api/auth/oidc", Duration.ofMinutes(10));

  @Test
  void overPlainHttpTheCookieIsNotSecureOrItWouldNeverComeBack() {
    String header = ApiHandler.setCookie(SIGN_IN, false);
    assertEquals("sangdam_oidc=abc-_09; Max-Age=600; Expires=" + expires(header)
        + "; Path=/api/auth/oidc; HTTPOnly; SameSite=Lax", header);
  }

  @Test
  void overTlsTheCookieIsSecure() {
    String header = ApiHandler.setCookie(SIGN_IN, true);
    assertEquals("sangdam_oidc=abc-_09; Max-Age=600; Expires=" + expires(header)
        + "; Path=/api/auth/oidc; Secure; HTTPOnly; SameSite=Lax", header);
  }

  @Test
  void aClearedCookieIsEmptyAndExpiresNow() {
    String cleared = ApiHandler.setCookie(ApiResponse.Cookie.cleared("sangdam_oidc", "/api/auth/oidc"), false);
    assertEquals("sangdam_oidc=; Max-Age=0; Expires=" + expires(cleared) + "; Path=/api/auth/oidc; HTTPOnly; "
        + "SameSite=Lax", cleared);
  }

  @Test
  void aValueACookieCannotCarryIsRefusedNotSent() {
    assertThrows(IllegalArgumentException.class, () -> ApiHandler.setCookie(
        new ApiResponse.Cookie("sangdam_oidc", "a;b", "/", Duration.ZERO), false));
    assertThrows(IllegalArgumentException.class, () -> new ApiResponse.Cookie("n", "v", "/", Duration.ofSeconds(-1)));
  }

  @Test
  void headersAndCookiesSurviveEachOther() {
    ApiResponse answer = new ApiResponse(302, null, Map.of("Location", "/admin/")).withCookie(SIGN_IN)
        .withHeader("Referrer-Policy", "no-referrer");
    assertEquals(1, answer.cookies().size());
    assertEquals(2, answer.headers().size());
  }

  /**
   * The Expires attribute is the clock's; the rest of the header is what the test checks. Taken from the header
   * checked, not from a second one: the clock's second may turn between two.
   */
  private static String expires(String setCookie) {
    int at = setCookie.indexOf("Expires=") + "Expires=".length();
    return setCookie.substring(at, setCookie.indexOf(';', at));
  }
}
