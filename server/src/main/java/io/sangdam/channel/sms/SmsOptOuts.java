package io.sangdam.channel.sms;

/**
 * The numbers of an SMS channel that sent the opt-out keyword: nothing is sent to them until they write
 * again. Implemented in {@code store}; methods block.
 */
public interface SmsOptOuts {
  void optOut(long channelId, String number);

  /** Lifts the number's opt-out, if any: it wrote to us again. */
  void optIn(long channelId, String number);

  boolean optedOut(long channelId, String number);
}
