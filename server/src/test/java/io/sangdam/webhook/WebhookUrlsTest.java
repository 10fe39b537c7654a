package io.sangdam.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which URLs a tenant admin may register and the server may send to: internal hosts yes; this
 * server (on any of its addresses), link-local and cloud metadata addresses no (the first two
 * unless configured); checked again, resolved anew, before each delivery.
 */
class WebhookUrlsTest {
  private static final WebhookUrls STRICT = WebhookUrls.system(false);
  private static final WebhookUrls LOOPBACK_ALLOWED = WebhookUrls.system(true);

  private static ErrorCode refused(WebhookUrls urls, String url) {
    return assertThrows(SangdamException.class, () -> urls.checked(url), url).code();
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void thisServerAndLinkLocalAddressesAreRefusedInternalHostsAllowed() {
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://127.0.0.1:8080/api/tenants"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://localhost/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://[::1]/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://[::ffff:127.0.0.1]/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://169.254.169.254/latest/meta-data"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "http://0.0.0.0/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, "ftp://10.1.2.3/hook"));
    assertEquals("http://10.1.2.3/hook", STRICT.checked("http://10.1.2.3/hook"), "a CRM inside the company");
    assertEquals("https://192.0.2.1/hook", STRICT.checked("https://192.0.2.1/hook"));
    assertEquals("http://127.0.0.1/hook", LOOPBACK_ALLOWED.checked("http://127.0.0.1/hook"), "when allowed");
  }

  @Test
  void cloudMetadataAddressesOutsideLinkLocalAreRefusedEvenWhereLoopbackIsAllowed() {
    for (String url : List.of("http://[fd00:ec2::254]/latest/meta-data/", "http://100.100.100.200/latest/meta-data",
        "http://192.0.0.192/opc/v2/instance/", "http://168.63.129.16/machine", "http://169.254.169.254/")) {
      assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, url));
      assertEquals(ErrorCode.INVALID_FIELD, refused(LOOPBACK_ALLOWED, url));
    }
  }

  @Test
  void everyAddressOfThisMachinesInterfacesIsRefused() throws Exception {
    List<InetAddress> own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    for (InetAddress address : own) {
      String host = address.getHostAddress().replaceFirst("%.*", "");
      String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":8080/api/tenants";
      assertEquals(ErrorCode.INVALID_FIELD, refused(STRICT, url), "this machine's " + address);
    }
    Set<InetAddress> serversOwn = Set.of(ip("10.9.9.9"));
    WebhookUrls onTen = new WebhookUrls(false, InetAddress::getAllByName, () -> serversOwn);
    assertEquals(ErrorCode.INVALID_FIELD, refused(onTen, "http://10.9.9.9/hook"), "the server's own 10.x address");
    assertEquals("http://10.9.9.8/hook", onTen.checked("http://10.9.9.8/hook"), "its neighbour's");
  }

  @Test
  void aNameThatLaterResolvesToAForbiddenAddressIsCaughtBeforeSending() throws Exception {
    AtomicReference<InetAddress> answer = new AtomicReference<>(ip("10.1.2.3"));
    WebhookUrls urls = new WebhookUrls(false, host -> new InetAddress[] {answer.get()}, Set::of);
    URI hook = URI.create("http://crm.example.com/hook");
    assertEquals(hook.toString(), urls.checked(hook.toString()), "registered while it names the CRM");
    assertTrue(urls.forbiddenNow(hook).isEmpty());

    answer.set(ip("127.0.0.1"));
    assertTrue(urls.forbiddenNow(hook).orElseThrow().contains("127.0.0.1"), "rebound to this machine");
    answer.set(ip("100.100.100.200"));
    assertTrue(urls.forbiddenNow(hook).orElseThrow().contains("metadata"));

    WebhookUrls unresolvable = new WebhookUrls(false, host -> {
      throw new UnknownHostException(host);
    }, Set::of);
    assertFalse(unresolvable.forbiddenNow(hook).isPresent(), "not forbidden: the attempt fails and is retried");
  }
}
