package io.sangdam.company;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in through a real LDAP server (UnboundID's in-memory directory on 127.0.0.1, over plain LDAP,
 * ldaps and StartTLS with a certificate made for the test): accounts made from group mappings at the
 * first sign-in and updated later, bound to their entry's identifier, and every refusal the issue
 * names, each audited.
 */
class CompanyLdapSignInIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String BASE = "dc=corp,dc=example";
  private static final String AGENTS = "cn=cs-agents,ou=groups," + BASE;
  private static final String MANAGERS = "cn=cs-managers,ou=groups," + BASE;
  private static final String PASSWORD = "corp-pass-1";

  @TempDir
  static Path keys;

  private static InMemoryDirectoryServer ldap;
  private static String caPem;

  @BeforeAll
  static void startDirectory() throws Exception {
    Path keystore = keys.resolve("ldap.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "ldap", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, () -> "keytool failed: " + output);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(keystore.toFile())) {
      store.load(in, "changeit".toCharArray());
    }
    caPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
        store.getCertificate("ldap").getEncoded()) + "\n-----END CERTIFICATE-----\n";
    SSLUtil serverSsl = new SSLUtil(new KeyStoreKeyManager(keystore.toFile(), "changeit".toCharArray(), "PKCS12",
        "ldap"), new TrustAllTrustManager());
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    // Active Directory's attributes (memberOf, userAccountControl) are not in the standard schema.
    config.setSchema(null);
    config.addAdditionalBindCredentials("cn=search," + BASE, "search-pass");
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig("plain", loopback, 0, null),
        InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(),
            null),
        InMemoryListenerConfig.createLDAPConfig("starttls", loopback, 0, serverSsl.createSSLSocketFactory()));
    ldap = new InMemoryDirectoryServer(config);
    ldap.add("dn: " + BASE, "objectClass: domain", "dc: corp");
    ldap.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
    person("lee", "이상담", AGENTS, "512");
    person("park", "박매니저", MANAGERS, "512");
    person("choi", "최무소속", "cn=marketing,ou=groups," + BASE, "512");
    person("jung", "정퇴사", AGENTS, "514");
    person("oh", "오상담", AGENTS, "512");
    person("kang", "강회사", AGENTS, "512");
    person("tls", "이보안", AGENTS, "512");
    ldap.startListening();
  }

  private static void person(String uid, String name, String group, String accountControl) throws Exception {
    ldap.add("dn: uid=" + uid + ",ou=people," + BASE, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + name,
        "sn: " + name, "displayName: " + name, "userPassword: " + PASSWORD, "memberOf: " + group,
        "userAccountControl: " + accountControl);
  }

  @AfterAll
  static void stopDirectory() {
    ldap.shutDown(true);
  }

  private static Http http() {
    return server.http();
  }

  /** A tenant with the Seoul center and its company directory at {@code url}. */
  private static String tenantWithDirectory(ObjectNode ldapSettings) {
    String admin = server.adminToken();
    String tenant = server.uniqueCode("sso");
    http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "계열사 " + tenant));
    http().expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, of("code", "seoul", "name", "서울"));
    http().expect(200, "PUT", "/api/tenants/" + tenant + "/company-sign-in", admin, of("ldap", ldapSettings));
    return tenant;
  }

  private static ObjectNode ldapAt(String url) {
    ObjectNode settings = of("url", url, "bindDn", "cn=search," + BASE, "bindPassword", "search-pass",
        "userBase", "ou=people," + BASE, "userFilter", "(uid={username})");
    settings.set("mappings", Json.MAPPER.valueToTree(List.of(
        of("group", AGENTS, "role", "AGENT", "center", "seoul"),
        of("group", MANAGERS, "role", "CENTER_MANAGER", "center", "seoul"))));
    return settings;
  }

  private static String plainUrl() {
    return "ldap://127.0.0.1:" + ldap.getListenPort("plain");
  }

  private static Http.Response logIn(String tenant, String username, String password) {
    return http().send("POST", "/api/login", null, of("tenant", tenant, "username", username, "password", password));
  }

  private static JsonNode audit(String tenant, String action) {
    return http().expect(200, "GET", "/api/audit?tenant=" + tenant + "&action=" + action, server.adminToken(), null)
        .path("entries");
  }

  @Test
  void firstSignInCreatesTheAccountFromTheGroupsAndALaterOneFollowsTheirChange() throws Exception {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    JsonNode user = http().expect(200, "POST", "/api/login", null,
        of("tenant", tenant, "username", "lee", "password", PASSWORD)).path("user");
    assertEquals("AGENT", user.path("role").asText());
    assertEquals("seoul", user.path("center").asText());
    assertEquals("이상담", user.path("name").asText());
    assertEquals("user.created_by_directory", audit(tenant, "user.").get(0).path("action").asText());

    ldap.modify("uid=lee,ou=people," + BASE, new Modification(ModificationType.REPLACE, "memberOf", MANAGERS));
    String token = logIn(tenant, "lee", PASSWORD).body().path("token").asText();
    assertEquals("CENTER_MANAGER", http().expect(200, "GET", "/api/me", token, null).path("user").path("role")
        .asText());
    assertEquals("user.updated_by_directory", audit(tenant, "user.").get(0).path("action").asText());
    ldap.modify("uid=lee,ou=people," + BASE, new Modification(ModificationType.REPLACE, "memberOf", AGENTS));
  }

  /** The directory identity an account is bound to, as "issuer subject", or null when it is not bound. */
  private static String binding(String tenant, String username) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            SELECT u.company_issuer, u.company_subject FROM app_user u JOIN tenant t ON t.id = u.tenant_id
            WHERE t.code = ? AND u.username = ?
            """)) {
      ps.setString(1, tenant);
      ps.setString(2, username);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "no account " + username);
        return rs.getString(1) == null ? null : rs.getString(1) + " " + rs.getString(2);
      }
    }
  }

  /** What V050 leaves on an account the directory made before accounts were bound. */
  private static void forgetBinding(String tenant, String username) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            UPDATE app_user u JOIN tenant t ON t.id = u.tenant_id
            SET u.company_issuer = NULL, u.company_subject = NULL, u.company_identity = NULL
            WHERE t.code = ? AND u.username = ?
            """)) {
      ps.setString(1, tenant);
      ps.setString(2, username);
      assertEquals(1, ps.executeUpdate());
    }
  }

  private static long signedInId(String tenant, String username) {
    Http.Response in = logIn(tenant, username, PASSWORD);
    assertEquals(200, in.status(), in.body()::toString);
    return in.body().path("user").path("id").asLong();
  }

  @Test
  void anAccountIsBoundToItsEntrysUuidAndAnotherEntryUnderTheSameNameIsRefused() throws Exception {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    person("min", "민상담", AGENTS, "512");
    long account = signedInId(tenant, "min");
    String bound = binding(tenant, "min");
    assertTrue(bound.matches("entryUUID [0-9a-f-]{36}"), bound);
    assertEquals(account, signedInId(tenant, "min"), "the same entry signs in to the same account");
    // min leaves; the directory gives the name to a new person (a new entry, a new entryUUID).
    ldap.delete("uid=min,ou=people," + BASE);
    person("min", "민신입", MANAGERS, "512");
    Http.Response refused = logIn(tenant, "min", PASSWORD);
    assertEquals(403, refused.status());
    assertTrue(refused.body().path("error").path("message").asText().contains("belongs to another person"),
        refused.body()::toString);
    String detail = audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText();
    assertTrue(detail.contains("identity mismatch") && detail.contains(bound.substring("entryUUID ".length())),
        detail);
    assertEquals(bound, binding(tenant, "min"));
    assertEquals("AGENT", http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .get(0).path("role").asText(), "the refused sign-in changed nothing");
  }

  @Test
  void anActiveDirectoryAccountIsBoundToItsObjectGuid() throws Exception {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    byte[] guid = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};
    ldap.add("dn: uid=ad-user,ou=people," + BASE, "objectClass: inetOrgPerson", "uid: ad-user", "cn: 에이디",
        "sn: 에이디", "userPassword: " + PASSWORD, "memberOf: " + AGENTS, "userAccountControl: 512",
        "objectGUID:: " + Base64.getEncoder().encodeToString(guid));
    signedInId(tenant, "ad-user");
    // As Active Directory writes it: the first three fields little-endian.
    assertEquals("objectGUID 04030201-0605-0807-090a-0b0c0d0e0f10", binding(tenant, "ad-user"));
  }

  @Test
  void anAccountMadeBeforeBindingIsBoundAtItsNextSignIn() throws Exception {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    person("seo", "서상담", AGENTS, "512");
    long account = signedInId(tenant, "seo");
    String bound = binding(tenant, "seo");
    forgetBinding(tenant, "seo");
    assertEquals(account, signedInId(tenant, "seo"));
    assertEquals(bound, binding(tenant, "seo"));
    assertTrue(audit(tenant, "user.bound_by_directory").get(0).path("detail").asText().contains(bound));
  }

  @Test
  void aPersonTheDirectoryRenamedKeepsTheirAccountUnderTheNewNameUnlessItIsTaken() throws Exception {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    person("yun", "윤상담", AGENTS, "512");
    long account = signedInId(tenant, "yun");
    String bound = binding(tenant, "yun");
    ldap.modifyDN("uid=yun,ou=people," + BASE, "uid=yun-h", true);
    ldap.modify("uid=yun-h,ou=people," + BASE, new Modification(ModificationType.REPLACE, "uid", "yun-h"));
    assertEquals(account, signedInId(tenant, "yun-h"));
    assertEquals(bound, binding(tenant, "yun-h"));
    assertTrue(audit(tenant, "user.renamed_by_directory").get(0).path("detail").asText()
        .contains("'yun' is now 'yun-h'"));
    // The old name went to a new person, who gets an account of their own...
    person("yun", "윤신입", AGENTS, "512");
    long newcomer = signedInId(tenant, "yun");
    assertFalse(account == newcomer);
    // ...so the first person, renamed back, is refused with the reason until an administrator decides.
    ldap.delete("uid=yun,ou=people," + BASE);
    ldap.modifyDN("uid=yun-h,ou=people," + BASE, "uid=yun", true);
    ldap.modify("uid=yun,ou=people," + BASE, new Modification(ModificationType.REPLACE, "uid", "yun"));
    Http.Response refused = logIn(tenant, "yun", PASSWORD);
    assertEquals(403, refused.status());
    assertTrue(refused.body().path("error").path("message").asText().contains("another account here has that name"),
        refused.body()::toString);
    assertTrue(audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText()
        .contains("identity renamed"));
    assertEquals(bound, binding(tenant, "yun-h"));
  }

  @Test
  void aWrongPasswordAnUnknownNameAndAnEmptyPasswordAreRefusedAlike() {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    for (String[] attempt : List.of(new String[] {"park", "wrong-pass"}, new String[] {"nobody", PASSWORD},
        new String[] {"park", ""})) {
      Http.Response refused = logIn(tenant, attempt[0], attempt[1]);
      assertEquals(401, refused.status(), refused.body()::toString);
      assertEquals("invalid username or password", refused.body().path("error").path("message").asText());
    }
    assertEquals(3, audit(tenant, "auth.login.failed").size());
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .size());
  }

  @Test
  void noMappingAndADisabledAccountAreRefusedWithTheirReasonAndAudited() {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    Http.Response noRole = logIn(tenant, "choi", PASSWORD);
    assertEquals(403, noRole.status());
    assertTrue(noRole.body().path("error").path("message").asText().contains("no role"), noRole.body()::toString);
    Http.Response disabled = logIn(tenant, "jung", PASSWORD);
    assertEquals(403, disabled.status());
    assertTrue(disabled.body().path("error").path("message").asText().contains("disabled"));
    JsonNode refusals = audit(tenant, "auth.login.refused_by_company");
    assertEquals(2, refusals.size());
    assertTrue(refusals.get(0).path("detail").asText().contains("disabled"), refusals::toString);
    assertTrue(refusals.get(1).path("detail").asText().contains("no mapping"), refusals::toString);
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .size());
  }

  @Test
  void ldapsAndStartTlsTrustTheCompanyCaAndNothingElse() {
    ObjectNode ldaps = ldapAt("ldaps://127.0.0.1:" + ldap.getListenPort("ldaps"));
    ldaps.put("caCertificate", caPem);
    assertEquals(200, logIn(tenantWithDirectory(ldaps), "tls", PASSWORD).status());

    ObjectNode startTls = ldapAt("ldap://127.0.0.1:" + ldap.getListenPort("starttls"));
    startTls.put("startTls", true);
    startTls.put("caCertificate", caPem);
    assertEquals(200, logIn(tenantWithDirectory(startTls), "tls", PASSWORD).status());

    // The JVM's trust store does not know the test's certificate: no sign-in, whatever the password.
    Http.Response untrusted = logIn(tenantWithDirectory(ldapAt("ldaps://127.0.0.1:" + ldap.getListenPort("ldaps"))),
        "tls", PASSWORD);
    assertEquals(503, untrusted.status());
    assertTrue(untrusted.body().path("error").path("message").asText().contains("cannot be reached"));
  }

  @Test
  void aBreakGlassAccountSignsInWithItsPasswordWhileTheDirectoryIsDown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    String tenant = tenantWithDirectory(ldapAt("ldap://127.0.0.1:" + closedPort));
    http().expect(201, "POST", "/api/tenants/" + tenant + "/users", server.adminToken(), of("username",
        "emergency", "password", "break-glass-1", "name", "비상 관리자", "role", "TENANT_ADMIN"));
    assertEquals("TENANT_ADMIN", http().expect(200, "POST", "/api/login", null, of("tenant", tenant, "username",
        "emergency", "password", "break-glass-1")).path("user").path("role").asText());
    Http.Response down = logIn(tenant, "lee", PASSWORD);
    assertEquals(503, down.status());
    assertEquals("unavailable", down.errorCode());
  }

  @Test
  void aLocalAccountIsNeverSignedInByTheDirectory() {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    http().expect(201, "POST", "/api/tenants/" + tenant + "/users", server.adminToken(), of("username", "kang",
        "password", "local-pass-1", "name", "강로컬", "role", "AGENT", "center", "seoul"));
    assertEquals(401, logIn(tenant, "kang", PASSWORD).status());
    assertEquals("강로컬", http().expect(200, "POST", "/api/login", null, of("tenant", tenant, "username", "kang",
        "password", "local-pass-1")).path("user").path("name").asText());
  }

  @Test
  void wrongDirectoryPasswordsAreThrottledAsPasswordsAre() {
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = logIn(tenant, "oh", "wrong-" + i).status();
    }
    assertEquals(429, status);
    // Refused by the throttle, the right password too is not tried against the directory now.
    assertEquals(429, logIn(tenant, "oh", PASSWORD).status());
  }

  @Test
  void settingsKeepTheirSecretsAndRefuseWhatCannotWork() {
    String admin = server.adminToken();
    String tenant = tenantWithDirectory(ldapAt(plainUrl()));
    String path = "/api/tenants/" + tenant + "/company-sign-in";
    JsonNode shown = http().expect(200, "GET", path, admin, null);
    assertTrue(shown.path("ldap").path("bindPasswordSet").asBoolean());
    assertFalse(shown.toString().contains("search-pass"));
    assertTrue(shown.path("oidc").isNull());
    JsonNode logged = http().expect(200, "GET", "/api/audit?tenant=" + tenant, admin, null).path("entries");
    assertTrue(logged.size() > 0);
    assertFalse(logged.toString().contains("search-pass"), "the audit log keeps no secret: " + logged);

    ObjectNode clear = ldapAt("ldap://ldap.corp.example:389");
    assertEquals("invalid_field", http().send("PUT", path, admin, of("ldap", clear)).errorCode());
    ObjectNode noUsername = ldapAt(plainUrl());
    noUsername.put("userFilter", "(uid=fixed)");
    assertEquals(422, http().send("PUT", path, admin, of("ldap", noUsername)).status());
    ObjectNode badCa = ldapAt(plainUrl());
    badCa.put("caCertificate", "not a certificate");
    assertEquals(422, http().send("PUT", path, admin, of("ldap", badCa)).status());
    ObjectNode hq = ldapAt(plainUrl());
    hq.set("mappings", Json.MAPPER.valueToTree(List.of(of("group", AGENTS, "role", "HQ_ADMIN"))));
    assertEquals(422, http().send("PUT", path, admin, of("ldap", hq)).status());
    ObjectNode unknownCenter = ldapAt(plainUrl());
    unknownCenter.set("mappings", Json.MAPPER.valueToTree(List.of(of("group", AGENTS, "role", "AGENT",
        "center", "jeju"))));
    assertEquals(422, http().send("PUT", path, admin, of("ldap", unknownCenter)).status());
    ObjectNode noMappings = ldapAt(plainUrl());
    noMappings.set("mappings", Json.MAPPER.createArrayNode());
    assertEquals(422, http().send("PUT", path, admin, of("ldap", noMappings)).status());
    ObjectNode huge = ldapAt(plainUrl());
    huge.put("userBase", "x".repeat(10_000));
    assertEquals(422, http().send("PUT", path, admin, of("ldap", huge)).status());
    assertEquals(422, http().send("PUT", path, admin, of("ldap", "ldap://127.0.0.1")).status());
    assertEquals(400, http().send("PUT", path, admin, "{\"ldap\":").status());
    // Nothing refused changed what was saved; saved again without the password, the stored one stays.
    ObjectNode again = ldapAt(plainUrl());
    again.remove("bindPassword");
    assertTrue(http().expect(200, "PUT", path, admin, of("ldap", again)).path("ldap").path("bindPasswordSet")
        .asBoolean());
    assertEquals(200, logIn(tenant, "park", PASSWORD).status());
    JsonNode changes = audit(tenant, "company_sign_in.");
    assertEquals(2, changes.size());
    assertFalse(changes.toString().contains("search-pass"));
  }
}
