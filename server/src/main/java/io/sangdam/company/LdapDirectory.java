package io.sangdam.company;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import io.sangdam.auth.CompanyDirectory;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One sign-in against a company's LDAP or Active Directory: connect (TLS as configured, the server's
 * name checked against its certificate), bind as the search account, find exactly one entry for the
 * username, bind as that entry with the user's password, then read whether Active Directory disabled
 * or expired the account and which groups it is in. Blocks on the network, within the timeouts below.
 */
final class LdapDirectory {
  /**
   * What the directory says of a user whose password it accepted; {@code identity} is the entry's, stable
   * across renames and moves where the directory has one.
   */
  record Account(CompanySignInStore.Identity identity, String name, List<String> groups) {}

  private static final String OBJECT_GUID = "objectGUID";
  private static final String ENTRY_UUID = "entryUUID";
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int RESPONSE_TIMEOUT_MILLIS = 10_000;
  /** Active Directory's userAccountControl bit ACCOUNTDISABLE. */
  private static final long ACCOUNT_DISABLE = 0x2;
  /** accountExpires counts 100 ns ticks since 1601-01-01; 0 and the largest value mean never. */
  private static final long TICKS_1601_TO_1970 = 116_444_736_000_000_000L;
  /** Active Directory's reason for refusing a bind, in its diagnostic message ("... data 533, ..."). */
  private static final Pattern AD_REASON = Pattern.compile("data ([0-9a-f]{3})");

  private final Clock clock;

  LdapDirectory(Clock clock) {
    this.clock = clock;
  }

  /**
   * The account, or empty when the directory knows no such username or refused its password.
   * {@link CompanyDirectory.Refused} when the password was right but the account may not sign in;
   * {@code unavailable} when the directory cannot be reached or refused the search account.
   */
  Optional<Account> authenticate(LdapSettings s, String bindPassword, String username, String password) {
    // An empty password is an unauthenticated bind, which LDAP servers answer with success.
    if (password.isEmpty()) {
      return Optional.empty();
    }
    try (LDAPConnection connection = connect(s)) {
      try {
        if (s.bindDn() != null) {
          connection.bind(s.bindDn(), bindPassword == null ? "" : bindPassword);
        }
      } catch (LDAPException e) {
        throw unavailable("the company directory refused the search account (" + e.getResultCode() + ")");
      }
      Filter filter = Filter.create(s.userFilter().replace("{username}", Filter.encodeValue(username)));
      SearchRequest search = new SearchRequest(s.userBase(), SearchScope.SUB, DereferencePolicy.NEVER, 2,
          RESPONSE_TIMEOUT_MILLIS / 1000, false, filter, s.groupAttribute(), s.nameAttribute(), "userAccountControl",
          "accountExpires", OBJECT_GUID, ENTRY_UUID);
      SearchResult found = connection.search(search);
      if (found.getEntryCount() != 1) {
        return Optional.empty();
      }
      SearchResultEntry entry = found.getSearchEntries().get(0);
      try {
        connection.bind(entry.getDN(), password);
      } catch (LDAPException e) {
        if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
          refuseForActiveDirectoryReason(e.getDiagnosticMessage());
          return Optional.empty();
        }
        throw e;
      }
      Long control = entry.getAttributeValueAsLong("userAccountControl");
      if (control != null && (control & ACCOUNT_DISABLE) != 0) {
        throw new CompanyDirectory.Refused("your company account is disabled", "directory account disabled");
      }
      Long expires = entry.getAttributeValueAsLong("accountExpires");
      if (expires != null && expires != 0 && expires != Long.MAX_VALUE
          && !clock.instant().isBefore(fromWindowsTicks(expires))) {
        throw new CompanyDirectory.Refused("your company account has expired", "directory account expired");
      }
      String[] groups = entry.getAttributeValues(s.groupAttribute());
      String name = entry.getAttributeValue(s.nameAttribute());
      return Optional.of(new Account(identity(entry), name, groups == null ? List.of() : Arrays.asList(groups)));
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
        return Optional.empty();
      }
      throw unavailable("the company directory cannot be reached (" + e.getResultCode() + ")");
    }
  }

  /**
   * The entry's own identifier: Active Directory's objectGUID, else the entryUUID of other directories (RFC 4530),
   * both kept when an entry is renamed or moved; else its DN, normalized, for a directory that has neither.
   */
  static CompanySignInStore.Identity identity(SearchResultEntry entry) throws LDAPException {
    byte[] guid = entry.getAttributeValueBytes(OBJECT_GUID);
    if (guid != null && guid.length == 16) {
      return new CompanySignInStore.Identity("LDAP", OBJECT_GUID, guidText(guid));
    }
    String uuid = entry.getAttributeValue(ENTRY_UUID);
    if (uuid != null && !uuid.isBlank()) {
      return new CompanySignInStore.Identity("LDAP", ENTRY_UUID, uuid.strip().toLowerCase(Locale.ROOT));
    }
    return new CompanySignInStore.Identity("LDAP", "dn", entry.getParsedDN().toNormalizedString());
  }

  /** A GUID as Active Directory shows it: its first three fields are stored little-endian. */
  private static String guidText(byte[] b) {
    return String.format("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[3], b[2], b[1],
        b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  }

  /**
   * Active Directory refuses the bind of a disabled, expired or locked account (after checking its
   * password) and says why in the diagnostic message: such a refusal is the account's, not the password's.
   */
  private static void refuseForActiveDirectoryReason(String diagnostic) {
    if (diagnostic == null) {
      return;
    }
    Matcher m = AD_REASON.matcher(diagnostic);
    if (!m.find()) {
      return;
    }
    switch (m.group(1)) {
      case "533" -> throw new CompanyDirectory.Refused("your company account is disabled",
          "directory account disabled (AD 533)");
      case "701" -> throw new CompanyDirectory.Refused("your company account has expired",
          "directory account expired (AD 701)");
      case "532", "773" -> throw new CompanyDirectory.Refused(
          "your company password has expired; change it at the company first", "directory password expired (AD "
              + m.group(1) + ")");
      case "775" -> throw new CompanyDirectory.Refused("your company account is locked",
          "directory account locked (AD 775)");
      default -> { }
    }
  }

  private static Instant fromWindowsTicks(long ticks) {
    long sinceEpoch = ticks - TICKS_1601_TO_1970;
    return Instant.ofEpochSecond(Math.floorDiv(sinceEpoch, 10_000_000L),
        Math.floorMod(sinceEpoch, 10_000_000L) * 100);
  }

  private static LDAPConnection connect(LdapSettings s) throws LDAPException {
    LDAPURL url = new LDAPURL(s.url());
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(CONNECT_TIMEOUT_MILLIS);
    options.setResponseTimeoutMillis(RESPONSE_TIMEOUT_MILLIS);
    options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    boolean ldaps = url.getScheme().equalsIgnoreCase("ldaps");
    try {
      SSLUtil ssl = new SSLUtil(trust(s.caCertificate()));
      if (ldaps) {
        return new LDAPConnection(ssl.createSSLSocketFactory(), options, url.getHost(), url.getPort());
      }
      LDAPConnection connection = new LDAPConnection(options, url.getHost(), url.getPort());
      if (s.startTls()) {
        try {
          ResultCode started = connection.processExtendedOperation(
              new StartTLSExtendedRequest(ssl.createSSLContext())).getResultCode();
          if (started != ResultCode.SUCCESS) {
            throw new LDAPException(started, "StartTLS refused");
          }
        } catch (LDAPException e) {
          connection.close();
          throw e;
        }
      }
      return connection;
    } catch (GeneralSecurityException e) {
      throw new LDAPException(ResultCode.LOCAL_ERROR, "TLS: " + e.getMessage(), e);
    }
  }

  /** The company's CA when given (checked when saved), else the JVM's trust store. */
  private static TrustManager trust(String caCertificate) throws GeneralSecurityException {
    if (caCertificate == null) {
      return JVMDefaultTrustManager.getInstance();
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (Certificate cert : certificates(caCertificate)) {
      store.setCertificateEntry("company-ca-" + i++, cert);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers()[0];
  }

  /** The certificates of a PEM text; none is an error. */
  static List<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
    List<? extends Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificate in the PEM text");
    }
    return certs;
  }

  private static SangdamException unavailable(String message) {
    return new SangdamException(ErrorCode.UNAVAILABLE, message);
  }
}
