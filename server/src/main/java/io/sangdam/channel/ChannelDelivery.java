package io.sangdam.channel;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers outbound items to one kind of channel's partner (the custom channel's URL, a KakaoTalk dealer,
 * Naver's partner API, an SMS gateway). The outbox calls it with exactly one item in flight per
 * conversation, in {@code seq} order, and decides from the outcome whether to send the next, to try
 * again later, or to give the item up and tell the agent.
 */
public interface ChannelDelivery {
  /** Never throws: every failure is an outcome. */
  CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item);
}
