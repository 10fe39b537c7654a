package io.sangdam.company;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Identifier;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.CompanyDirectory;
import io.sangdam.auth.Secrets;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The OpenID Connect authorization code flow with PKCE (S256) for the admin and agent consoles. The
 * start keeps the state (by its hash), the nonce and the code verifier in the database, so that the
 * provider's callback may reach any node; the callback uses them once, exchanges the code, checks the
 * ID token's signature against the provider's JWKS and its issuer, audience, expiry and nonce (Nimbus
 * does every check), then signs the person in as a password would. A sign-in belongs to the browser
 * that started it: the start gives that browser a random value to keep (in a cookie), the pending row
 * keeps its hash, and a callback that does not bring the value back is refused, so that nobody can
 * make another's browser finish their sign-in, or finish someone else's (login CSRF).
 */
public final class OidcSignIn {
  /** How long a started sign-in waits for its callback. */
  private static final Duration PENDING_TTL = Duration.ofMinutes(10);
  /** Started sign-ins kept at once, across tenants: the start is open to anyone, so its rows are bounded. */
  private static final long MAX_PENDING = 10_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** Discovery documents and JWKS are read again after this, so a provider's key rotation is seen. */
  private static final Duration PROVIDER_TTL = Duration.ofMinutes(10);

  /** The consoles that sign in this way, as they are named in the start's {@code console}. */
  public static final List<String> CONSOLES = List.of("admin", "agent");

  /** Where to send the browser, and the value it must keep until the callback. */
  public record Started(URI providerUri, String browserKey) {}

  /** A signed-in person, with the console to send them back to. */
  public record Success(String console, Authenticator.Login login) {}

  /**
   * A refused callback: {@code reason} is a short code for the console to explain, {@code message}
   * the explanation in English, {@code detail} what the audit log keeps.
   */
  public static final class Failed extends RuntimeException {
    private final String reason;
    private final String console;
    private final Long tenantId;
    private final String detail;

    Failed(String reason, String message, String console, Long tenantId, String detail) {
      super(message);
      this.reason = reason;
      this.console = console;
      this.tenantId = tenantId;
      this.detail = detail;
    }

    public String reason() {
      return reason;
    }

    public String console() {
      return console;
    }

    public Long tenantId() {
      return tenantId;
    }

    public String detail() {
      return detail;
    }
  }

  private final CompanySignIn company;
  private final CompanySignInStore store;
  private final Authenticator authenticator;
  private final AuditLog audit;
  private final Clock clock;
  private final Cache<String, OIDCProviderMetadata> providers;
  private final Cache<String, IDTokenValidator> validators;

  public OidcSignIn(CompanySignIn company, CompanySignInStore store, Authenticator authenticator, AuditLog audit,
      Clock clock, Ticker ticker) {
    this.company = requireNonNull(company, "company");
    this.store = requireNonNull(store, "store");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.audit = requireNonNull(audit, "audit");
    this.clock = requireNonNull(clock, "clock");
    this.providers = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(PROVIDER_TTL).ticker(ticker).build();
    this.validators = Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(PROVIDER_TTL).ticker(ticker).build();
  }

  /** Whether the tenant (empty: HQ) offers this sign-in; false for an unknown tenant too. */
  public boolean offered(Optional<String> tenant) {
    return company.scoped(tenant).map(s -> s.settings().oidc() != null).orElse(false);
  }

  /**
   * Where to send the browser to sign in at the tenant's provider; {@code not_found} when the tenant
   * does not offer it, {@code unavailable} when the provider cannot be reached or too many sign-ins
   * are under way. Blocks on the database and, at most every few minutes, on the provider.
   */
  public Started start(Optional<String> tenant, String console) {
    CompanySignIn.Scoped scoped = company.scoped(tenant).filter(s -> s.settings().oidc() != null)
        .orElseThrow(() -> SangdamException.notFound("company sign-in of '" + tenant.orElse("HQ") + "'"));
    OidcSettings settings = scoped.settings().oidc();
    store.deleteExpired(clock.instant(), 100);
    if (store.pendingCount() >= MAX_PENDING) {
      throw new SangdamException(ErrorCode.UNAVAILABLE, "too many company sign-ins under way; try again shortly");
    }
    OIDCProviderMetadata provider = provider(settings.issuer());
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    // As random as the state (32 bytes from SecureRandom), but never seen by the provider or in an address.
    String browserKey = new Identifier().getValue();
    store.insertPending(Secrets.hash(state.getValue()), new CompanySignInStore.Pending(
        CompanySignIn.key(scoped.tenant().id()), Secrets.hash(browserKey), nonce.getValue(), verifier.getValue(),
        console), clock.instant().plus(PENDING_TTL));
    return new Started(new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
        new Scope(settings.scopes().toArray(String[]::new)), new ClientID(settings.clientId()),
        URI.create(settings.redirectUri()))
        .endpointURI(provider.getAuthorizationEndpointURI())
        .state(state)
        .nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256)
        .build()
        .toURI(), browserKey);
  }

  /**
   * The provider's answer: {@code code} and {@code state}, or {@code error}, with the value the start
   * gave the browser ({@code browserKey}, from its cookie). Throws {@link Failed} for anything refused;
   * every outcome is audited. Blocks on the database and the provider.
   */
  public Success callback(Optional<String> code, Optional<String> state, Optional<String> error,
      Optional<String> browserKey, String address) {
    CompanySignInStore.Pending pending = state.filter(s -> s.length() <= 200)
        .flatMap(s -> store.takePending(Secrets.hash(s), clock.instant()))
        .orElseThrow(() -> failed("expired", "this sign-in was not started here or has expired; start again",
            "admin", null, "unknown, used or expired state", address));
    Long tenantId = pending.tenantKey() == 0 ? null : pending.tenantKey();
    // Checked after the pending sign-in was taken: a state brought by the wrong browser is spent, so the
    // browser that started it cannot be made to finish it afterwards either.
    if (browserKey.isEmpty()) {
      throw failed("other_browser", "this sign-in was started in another browser, or this browser refuses "
          + "cookies; start again here", pending.console(), tenantId, "state not bound to this browser: no "
          + "sign-in cookie", address);
    }
    if (!MessageDigest.isEqual(Secrets.hash(browserKey.get()), pending.browserHash())) {
      throw failed("other_browser", "this sign-in was started in another browser; start again here",
          pending.console(), tenantId, "state not bound to this browser: its sign-in cookie is another's", address);
    }
    CompanySignIn.Scoped scoped = company.scopedById(tenantId).filter(s -> s.settings().oidc() != null)
        .orElseThrow(() -> failed("unavailable", "company sign-in is no longer set up here", pending.console(),
            tenantId, "settings removed during the sign-in", address));
    if (error.isPresent()) {
      throw failed("refused", "the company sign-in was cancelled or refused", pending.console(), tenantId,
          "provider answered error " + error.get(), address);
    }
    String authorizationCode = code.filter(c -> !c.isEmpty() && c.length() <= 2_000).orElseThrow(() -> failed(
        "refused", "the company sign-in answered without a code", pending.console(), tenantId, "no code", address));
    OidcSettings settings = scoped.settings().oidc();
    IDTokenClaimsSet claims = claims(settings, scoped.stored().oidcClientSecret(), authorizationCode, pending,
        tenantId, address);
    String username = claims.getStringClaim(settings.usernameClaim());
    if (username == null) {
      throw failed("refused", "the company sign-in did not say who you are", pending.console(), tenantId,
          "ID token has no claim " + settings.usernameClaim(), address);
    }
    try {
      // Nimbus checked the issuer against the provider's; the sub is required in every ID token.
      Authenticator.Candidate candidate = company.accounts().account(scoped.tenant(),
          new CompanyAccounts.Person(new CompanySignInStore.Identity("OIDC", claims.getIssuer().getValue(),
              claims.getSubject().getValue()), username, claims.getStringClaim(settings.nameClaim()),
              groups(claims.getClaim(settings.groupsClaim()))), settings.mappings(), address);
      Authenticator.Login login = authenticator.issue(candidate);
      audit.record(new AuditEntry(login.principal().id(), login.principal().user().username(), tenantId,
          login.principal().centerId(), "auth.login", (tenantId == null ? "" : scoped.tenant().code() + "/") + username,
          "OIDC", address));
      return new Success(pending.console(), login);
    } catch (CompanyDirectory.Refused e) {
      throw failed(reasonOf(e), e.getMessage(), pending.console(),
          tenantId, e.detail() + " (" + username + ")", address);
    }
  }

  private static String reasonOf(CompanyDirectory.Refused e) {
    if (e.detail().startsWith("no mapping")) {
      return "no_role";
    }
    return e.detail().startsWith("identity ") ? "account_conflict" : "refused";
  }

  /** Exchanges the code (with the PKCE verifier) and checks the ID token. */
  private IDTokenClaimsSet claims(OidcSettings settings, String clientSecret, String code,
      CompanySignInStore.Pending pending, Long tenantId, String address) {
    try {
      OIDCProviderMetadata provider = provider(settings.issuer());
      HTTPRequest request = new TokenRequest(provider.getTokenEndpointURI(),
          new ClientSecretBasic(new ClientID(settings.clientId()), new Secret(clientSecret == null ? "" : clientSecret)),
          new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(settings.redirectUri()),
              new CodeVerifier(pending.codeVerifier()))).toHTTPRequest();
      request.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
      request.setReadTimeout(READ_TIMEOUT_MILLIS);
      TokenResponse response = OIDCTokenResponseParser.parse(request.send());
      if (!response.indicatesSuccess()) {
        ErrorObject error = response.toErrorResponse().getErrorObject();
        throw failed("refused", "the company sign-in refused the code", pending.console(), tenantId,
            "token endpoint answered " + error.getCode() + ": " + error.getDescription(), address);
      }
      JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
      if (idToken == null) {
        throw failed("refused", "the company sign-in sent no ID token", pending.console(), tenantId,
            "no id_token", address);
      }
      return validator(provider, settings.clientId(), idToken).validate(idToken, new Nonce(pending.nonce()));
    } catch (BadJOSEException | JOSEException e) {
      throw failed("refused", "the company sign-in token was refused: " + e.getMessage(), pending.console(),
          tenantId, "ID token refused: " + e.getMessage(), address);
    } catch (GeneralException | IOException | SangdamException e) {
      throw failed("unavailable", "the company sign-in cannot be reached", pending.console(), tenantId,
          "provider unreachable or malformed: " + e.getMessage(), address);
    }
  }

  /** A validator for the token's signing algorithm, which must be one the provider names and asymmetric. */
  private IDTokenValidator validator(OIDCProviderMetadata provider, String clientId, JWT idToken)
      throws BadJOSEException {
    if (!(idToken.getHeader().getAlgorithm() instanceof JWSAlgorithm alg)
        || !(JWSAlgorithm.Family.RSA.contains(alg) || JWSAlgorithm.Family.EC.contains(alg))
        || provider.getIDTokenJWSAlgs() == null || !provider.getIDTokenJWSAlgs().contains(alg)) {
      throw new BadJOSEException("ID token not signed with an algorithm the provider names");
    }
    return validators.get(provider.getIssuer().getValue() + "|" + clientId + "|" + alg.getName(), k -> {
      try {
        return new IDTokenValidator(provider.getIssuer(), new ClientID(clientId), alg,
            provider.getJWKSetURI().toURL(), new DefaultResourceRetriever(CONNECT_TIMEOUT_MILLIS,
                READ_TIMEOUT_MILLIS, 512 * 1024));
      } catch (IOException e) {
        throw new SangdamException(ErrorCode.UNAVAILABLE, "the provider's JWKS address is not a URL");
      }
    });
  }

  private OIDCProviderMetadata provider(String issuer) {
    return providers.get(issuer, i -> {
      try {
        return OIDCProviderMetadata.resolve(new Issuer(i), CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
      } catch (GeneralException | IOException e) {
        throw new SangdamException(ErrorCode.UNAVAILABLE, "the company sign-in provider cannot be reached");
      }
    });
  }

  /** The groups claim: a list of strings, or one string. */
  private static List<String> groups(Object claim) {
    if (claim instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return claim instanceof String s ? List.of(s) : List.of();
  }

  private Failed failed(String reason, String message, String console, Long tenantId, String detail, String address) {
    audit.record(new AuditEntry(null, null, tenantId, null, "auth.login.refused_by_company", "OIDC", detail, address));
    return new Failed(reason, message, console, tenantId, detail);
  }
}
