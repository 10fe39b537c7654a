package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.SangdamException;

/**
 * Customer identity across channels: a tenant links a channel's customer (the channel and the
 * customer's key there) to the external id it knows the person by, the id the widget's verified
 * identity carries. Linked, the agent's {@code history} shows the conversations of every customer
 * known by that id. The link is kept on the channel's customer; an id nobody has verified yet holds for
 * whoever verifies it later. Blocks.
 */
public final class CustomerLinks {
  private final ChannelStore store;

  public CustomerLinks(ChannelStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** Links (or links again, to another id) the channel's customer; an unknown channel or customer is not found. */
  public void link(long tenantId, String channelCode, String userKey, String externalId) {
    store.linkExternalId(customer(tenantId, channelCode, userKey), requireNonNull(externalId, "externalId"));
  }

  /** Removes the channel's customer's link; one not linked is not found. */
  public void unlink(long tenantId, String channelCode, String userKey) {
    long customer = customer(tenantId, channelCode, userKey);
    if (store.externalId(customer).isEmpty()) {
      throw SangdamException.notFound("link of '" + userKey + "' on channel '" + channelCode + "'");
    }
    store.linkExternalId(customer, null);
  }

  private long customer(long tenantId, String channelCode, String userKey) {
    Channel channel = store.find(tenantId, channelCode)
        .orElseThrow(() -> SangdamException.notFound("channel '" + channelCode + "'"));
    return store.customer(channel.id(), userKey)
        .orElseThrow(() -> SangdamException.notFound("customer '" + userKey + "' on channel '" + channelCode + "'"));
  }
}
