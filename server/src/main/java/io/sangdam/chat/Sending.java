package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A participant's message: appended in order, acknowledged once committed, the other side told then. */
public final class Sending {
  private final Transcript transcript;
  private final Inactivity inactivity;
  private final ChatStore store;
  private final ConversationLookup lookup;
  private final BlockingWork work;
  private final Clock clock;

  public Sending(Transcript transcript, Inactivity inactivity, ChatStore store, ConversationLookup lookup,
      Executor blocking, Clock clock) {
    this.transcript = requireNonNull(transcript, "transcript");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.store = requireNonNull(store, "store");
    this.lookup = requireNonNull(lookup, "lookup");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      long originSession) {
    return send(sender, conversationId, cmid, text, null, originSession);
  }

  /**
   * Appends a message from a participant, announcing {@code attachment} if not null. Completes
   * with the stored message (the original one when the cmid was seen before) once it is
   * committed and the other participants have been told, so the sender's ack follows every push
   * of the conversation before it.
   */
  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      Attachment attachment, long originSession) {
    CompletableFuture<StoredMessage> appended = transcript.appendIfOpen(conversationId, c -> sender.belongsTo(c)
        && !(sender.kind() == SenderKind.AGENT && c.state() == ConversationState.WAITING),
        new NewMessage(conversationId, sender.kind(), sender.id(), cmid, text, StoredTime.now(clock), attachment));
    if (appended == null) {
      return work.async(() -> repeatedOrRefused(sender, conversationId, cmid));
    }
    return appended.thenCompose(m -> {
      if (m.repeated()) {
        return CompletableFuture.completedFuture(m);
      }
      return transcript.stored(m, originSession).thenApply(after -> {
        if (sender.kind() == SenderKind.AGENT) {
          inactivity.agentSpoke(after);
        } else {
          inactivity.customerSpoke(conversationId);
        }
        return m;
      });
    });
  }

  /** A send to a conversation that is not open for the sender: a repeat of a stored cmid is acknowledged again. */
  private StoredMessage repeatedOrRefused(Participant sender, long conversationId, String cmid) {
    Optional<StoredMessage> earlier = store.messageByCmid(sender.kind(), sender.id(), cmid);
    if (earlier.isPresent()) {
      return earlier.get().asRepeated();
    }
    throw lookup.refusal(sender, conversationId);
  }
}
