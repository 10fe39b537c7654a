package io.sangdam.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import org.junit.jupiter.api.Test;

/** Which URLs a tenant admin may register: internal hosts yes, this server and link-local no (unless configured). */
class WebhookUrlsTest {
  private static ErrorCode refused(String url) {
    return assertThrows(SangdamException.class, () -> Webhooks.checkedUrl(url, false), url).code();
  }

  @Test
  void thisServerAndLinkLocalAddressesAreRefusedInternalHostsAllowed() {
    assertEquals(ErrorCode.INVALID_FIELD, refused("http://127.0.0.1:8080/api/tenants"));
    assertEquals(ErrorCode.INVALID_FIELD, refused("http://localhost/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused("http://[::1]/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused("http://169.254.169.254/latest/meta-data"));
    assertEquals(ErrorCode.INVALID_FIELD, refused("http://0.0.0.0/hook"));
    assertEquals(ErrorCode.INVALID_FIELD, refused("ftp://10.1.2.3/hook"));
    assertEquals("http://10.1.2.3/hook", Webhooks.checkedUrl("http://10.1.2.3/hook", false), "a CRM inside the company");
    assertEquals("https://192.0.2.1/hook", Webhooks.checkedUrl("https://192.0.2.1/hook", false));
    assertEquals("http://127.0.0.1/hook", Webhooks.checkedUrl("http://127.0.0.1/hook", true), "when allowed");
  }
}
