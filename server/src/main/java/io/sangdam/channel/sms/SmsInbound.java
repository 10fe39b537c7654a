package io.sangdam.channel.sms;

import static java.util.Objects.requireNonNull;

import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.InboundMessage;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gateway's webhook for a text a customer sent, POSTed to {@code /channels/{tenant}/{channel}/sms} as
 * {@code {"from","text","id"}} with the channel's secret in {@link #KEY_HEADER}. The sender's number is
 * the customer's key (digits only, {@code +82} written as the leading 0). The text {@value #OPT_OUT}
 * (spaces aside) opts the number out: it is sent nothing more and its open conversation ends as the
 * customer leaving it; any other text from it later lifts that (it wrote to us again).
 */
public final class SmsInbound {
  public static final String KEY_HEADER = "X-Sms-Gateway-Key";
  public static final String OPT_OUT = "수신거부";
  private static final int MAX_ID = 60;

  private final ChannelInbound inbound;
  private final SmsOptOuts optOuts;
  private final Json json;

  public SmsInbound(ChannelInbound inbound, SmsOptOuts optOuts, Json json) {
    this.inbound = requireNonNull(inbound, "inbound");
    this.optOuts = requireNonNull(optOuts, "optOuts");
    this.json = requireNonNull(json, "json");
  }

  /**
   * Blocks (call it on the blocking executor). Completes with the conversation and the message's seq, or
   * with none for an opt-out from a number without an open conversation.
   */
  public CompletableFuture<Optional<InboundAnswer>> receive(String tenant, String channel, String key, byte[] body) {
    // Set by the reader, which receive runs before it returns.
    AtomicBoolean optingOut = new AtomicBoolean();
    CompletableFuture<InboundAnswer> answer = inbound.receive(tenant, channel, ChannelKind.SMS,
        c -> key != null && MessageDigest.isEqual(c.secret().getBytes(StandardCharsets.UTF_8),
            key.getBytes(StandardCharsets.UTF_8)),
        "the " + KEY_HEADER + " header must be the channel's secret",
        c -> {
          InboundMessage m = read(body);
          optingOut.set(m.event() == InboundMessage.Event.LEAVE);
          remember(c, m);
          return m;
        });
    if (!optingOut.get()) {
      return answer.thenApply(Optional::of);
    }
    return answer.handle((a, e) -> {
      if (e == null) {
        return Optional.of(a);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof SangdamException s && s.code() == ErrorCode.NOT_FOUND) {
        return Optional.empty();
      }
      throw e instanceof CompletionException c ? c : new CompletionException(e);
    });
  }

  /** The opt-out is kept before the conversation ends, so nothing queued for the number goes out after it. */
  private void remember(Channel channel, InboundMessage m) {
    if (m.event() == InboundMessage.Event.LEAVE) {
      optOuts.optOut(channel.id(), m.user());
    } else {
      optOuts.optIn(channel.id(), m.user());
    }
  }

  private InboundMessage read(byte[] body) {
    Fields f = new Fields(json.readObject(new ByteArrayInputStream(body)));
    String number = number(f.string("from", 32));
    String id = f.string("id", MAX_ID);
    if (id.isBlank()) {
      throw Fields.invalid("id", "must not be blank");
    }
    String text = f.text("text");
    if (text.replaceAll("\\s", "").equals(OPT_OUT)) {
      return InboundMessage.leave(number, "sms:" + id);
    }
    return InboundMessage.message(number, Optional.empty(), "sms:" + id, text);
  }

  /** A phone number as digits only, {@code +82 10-...} as {@code 010...}; 422 naming {@code from} if it is none. */
  static String number(String given) {
    String digits = given.replaceAll("[\\s().-]", "");
    if (digits.startsWith("+82")) {
      digits = "0" + digits.substring(3);
    }
    if (!digits.matches("[0-9]{8,15}")) {
      throw Fields.invalid("from", "must be a phone number");
    }
    return digits;
  }
}
