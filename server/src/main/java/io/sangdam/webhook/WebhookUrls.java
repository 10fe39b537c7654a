package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.sangdam.protocol.Fields;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Where a webhook may POST. A tenant admin registers the URL, but the server sends it, from inside
 * the company network: it must not be turned against this machine's own services (on any of its
 * addresses) or a cloud's instance metadata. Internal hosts (a CRM on 10.x) stay allowed. A name is
 * checked when registered and again, resolved anew, before every delivery, so a name that later
 * resolves to a forbidden address (DNS rebinding) is caught when it matters.
 */
public final class WebhookUrls {
  static final int MAX_URL = 500;

  /**
   * Instance metadata services that are not link-local: AWS over IPv6, Alibaba Cloud, Oracle Cloud,
   * Azure's wire server. (169.254.169.254, the usual one, is link-local.) Never a webhook's target.
   */
  static final Set<InetAddress> METADATA = Set.of(address("169.254.169.254"), address("fd00:ec2::254"),
      address("100.100.100.200"), address("192.0.0.192"), address("168.63.129.16"));

  /** A host name's addresses; {@link InetAddress#getAllByName} in production. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final boolean allowLoopback;
  private final Resolver resolver;
  private final Supplier<Set<InetAddress>> ownAddresses;

  /**
   * {@code allowLoopback}: whether this machine and link-local addresses may be named (tests,
   * single-host installs); metadata services never may. {@code ownAddresses}: this machine's.
   */
  WebhookUrls(boolean allowLoopback, Resolver resolver, Supplier<Set<InetAddress>> ownAddresses) {
    this.allowLoopback = allowLoopback;
    this.resolver = requireNonNull(resolver, "resolver");
    this.ownAddresses = requireNonNull(ownAddresses, "ownAddresses");
  }

  /** Resolving with the JVM's resolver; this machine's addresses read from its interfaces, once a minute. */
  public static WebhookUrls system(boolean allowLoopback) {
    // Interfaces change rarely (DHCP, a new VIP) and listing them costs a millisecond: not per delivery.
    LoadingCache<Boolean, Set<InetAddress>> interfaces = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(1)).build(key -> interfaceAddresses());
    return new WebhookUrls(allowLoopback, InetAddress::getAllByName, () -> interfaces.get(Boolean.TRUE));
  }

  /** The URL if it may be registered, else a 422 saying why. Resolves its host (blocks). */
  String checked(String url) {
    return checked("url", url);
  }

  /** As {@link #checked(String)}, for a URL given in the request's {@code field} (a channel's outbound URL). */
  public String checked(String field, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw Fields.invalid(field, "must be an absolute http or https URL");
    }
    if (url.length() > MAX_URL || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw Fields.invalid(field, "must be an absolute http or https URL of at most " + MAX_URL + " characters");
    }
    try {
      Optional<String> why = forbidden(uri.getHost());
      if (why.isPresent()) {
        throw Fields.invalid(field, "must not point at this server, a link-local address or a cloud metadata "
            + "service (" + why.get() + ")");
      }
    } catch (UnknownHostException e) {
      throw Fields.invalid(field, "names a host this server cannot resolve: " + uri.getHost());
    }
    return url;
  }

  /**
   * Why a delivery to {@code uri} must not be sent now, or empty when it may: its host resolved
   * now. A host that does not resolve is not forbidden: the delivery fails and is tried again.
   */
  public Optional<String> forbiddenNow(URI uri) {
    try {
      return forbidden(uri.getHost());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private Optional<String> forbidden(String host) throws UnknownHostException {
    for (InetAddress address : resolver.resolve(host)) {
      Optional<String> why = forbidden(address);
      if (why.isPresent()) {
        return Optional.of(host + " is " + address.getHostAddress() + ", " + why.get());
      }
    }
    return Optional.empty();
  }

  private Optional<String> forbidden(InetAddress address) {
    if (METADATA.contains(address)) {
      return Optional.of("a cloud metadata service");
    }
    if (allowLoopback) {
      return Optional.empty();
    }
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return Optional.of("this machine");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("link-local");
    }
    if (ownAddresses.get().contains(address)) {
      return Optional.of("an address of this machine");
    }
    return Optional.empty();
  }

  private static Set<InetAddress> interfaceAddresses() {
    Set<InetAddress> own = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        own.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      // Then only loopback and link-local are recognised; say so rather than refuse every webhook.
      LoggerFactory.getLogger(WebhookUrls.class).warn("cannot list network interfaces: {}", e.toString());
    }
    return Set.copyOf(own);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
