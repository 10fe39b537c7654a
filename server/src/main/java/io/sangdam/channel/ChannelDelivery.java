package io.sangdam.channel;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers outbound items to one kind of channel's partner (the custom channel's URL, a KakaoTalk dealer,
 * Naver's partner API, an SMS gateway). The outbox calls it with exactly one item in flight per
 * conversation, in {@code seq} order, and decides from the outcome whether to send the next, to try
 * again later, or to give the item up and tell the agent.
 */
public interface ChannelDelivery {
  /**
   * Never throws: every failure is an outcome. An attempt with no outcome within {@link
   * OutboundDeliveries#ATTEMPT} is cut off: the outbox completes the returned future itself, so a delivery that
   * makes several calls chains each on the one before (as {@code thenCompose} does), and none starts after that.
   */
  CompletableFuture<DeliveryOutcome> deliver(Channel channel, OutboundItem item);
}
