package io.sangdam.presence;

import io.sangdam.auth.Visitors;
import io.sangdam.chat.Conversation;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The widget's {@code hello}: finds the tenant and center, identifies the visitor (by token,
 * or by a signed external id), joins the registry and answers {@code welcome} with the customer's
 * open conversations; when the connection ends, leaves the registry.
 */
final class CustomerHello implements Greeter<CustomerSession> {
  private final Directory directory;
  private final Visitors visitors;
  private final Sessions sessions;
  private final LongFunction<List<Conversation>> openForCustomer;
  private final LongConsumer connected;
  private final LongConsumer disconnected;
  private final Executor blocking;

  /**
   * {@code openForCustomer}: a customer's open conversations; {@code connected} and
   * {@code disconnected}: tell chat a session of the customer (by id) came or went.
   */
  CustomerHello(Directory directory, Visitors visitors, Sessions sessions,
      LongFunction<List<Conversation>> openForCustomer, LongConsumer connected, LongConsumer disconnected,
      Executor blocking) {
    this.directory = directory;
    this.visitors = visitors;
    this.sessions = sessions;
    this.openForCustomer = openForCustomer;
    this.connected = connected;
    this.disconnected = disconnected;
    this.blocking = blocking;
  }

  @Override
  public CompletableFuture<?> hello(CustomerSession session, Fields f) {
    String tenantCode = f.slug("tenant");
    String centerCode = f.slug("center");
    Optional<String> visitor = f.optString("visitor", 100);
    Optional<String> name = f.optString("name", 100);
    Optional<String> contact = f.optString("contact", 200);
    Optional<Visitors.Claim> claim = f.optString("externalId", 100)
        .map(id -> new Visitors.Claim(id, f.optString("signature", 128).orElse("")));
    return CompletableFuture.supplyAsync(() -> {
      Tenant tenant = directory.tenantByCode(tenantCode).filter(t -> t.status().equals("ACTIVE"))
          .orElseThrow(() -> SangdamException.notFound("tenant '" + tenantCode + "'"));
      Center center = directory.center(tenant.id(), centerCode).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("center '" + centerCode + "'"));
      Visitors.Identified who = visitors.identify(tenant.id(), visitor, name, contact, claim);
      CustomerSession.Identity identity = new CustomerSession.Identity(who.visitor().customerId(),
          who.visitor().name(), tenant, center, who.identity() == Visitors.Identity.VERIFIED);
      // Known to the session only once registered: a session that never joined (closed first, or
      // one too many) must not count a disconnection of the customer when it ends.
      session.register(() -> {
        sessions.addCustomer(identity.customerId(), session);
        session.joined(identity);
        connected.accept(identity.customerId());
      });
      try {
        List<ServerMessage.ConversationView> open = openForCustomer.apply(identity.customerId()).stream()
            .map(sessions.views()::view).toList();
        session.releasePushes(new ServerMessage.CustomerWelcome(f.node().get("rid"), who.token(),
            who.identity() == Visitors.Identity.NONE ? null : who.identity().name().toLowerCase(Locale.ROOT),
            open));
      } catch (RuntimeException e) {
        // Left as a close would leave, and forgotten, so a later close or hello counts the customer once.
        session.unregister(() -> {
          ended(session);
          session.joined(null);
        });
        throw e;
      }
      return identity;
    }, blocking);
  }

  @Override
  public void ended(CustomerSession session) {
    CustomerSession.Identity identity = session.identity();
    if (identity != null) {
      sessions.removeCustomer(identity.customerId(), session);
      disconnected.accept(identity.customerId());
    }
  }
}
