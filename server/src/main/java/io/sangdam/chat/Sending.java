package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
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
   * A message that may answer a bot's buttons: {@code button} (null: typed) is kept with it only while a bot owns
   * the conversation, for the bot's turn; on any other conversation it is ignored and the text stored alone.
   */
  public CompletableFuture<StoredMessage> answer(Participant sender, long conversationId, String cmid, String text,
      String button, long originSession) {
    boolean withBot = button != null && transcript.live(conversationId)
        .filter(c -> c.state() == ConversationState.BOT).isPresent();
    return send(sender, conversationId, new NewMessage(conversationId, sender.kind(), sender.id(), cmid, text,
        StoredTime.now(clock), null, null, List.of(), withBot ? button : null, null), originSession);
  }

  /**
   * Appends a message from a participant, announcing {@code attachment} if not null. Completes
   * with the stored message (the original one when the cmid was seen before) once it is
   * committed and the other participants have been told, so the sender's ack follows every push
   * of the conversation before it.
   */
  public CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
      Attachment attachment, long originSession) {
    return send(sender, conversationId, new NewMessage(conversationId, sender.kind(), sender.id(), cmid, text,
        StoredTime.now(clock), attachment), originSession);
  }

  private CompletableFuture<StoredMessage> send(Participant sender, long conversationId, NewMessage message,
      long originSession) {
    String cmid = message.cmid();
    CompletableFuture<StoredMessage> appended = transcript.appendIfOpen(conversationId, c -> sender.belongsTo(c)
        && !(sender.kind() == SenderKind.AGENT && c.state() == ConversationState.WAITING), message);
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
