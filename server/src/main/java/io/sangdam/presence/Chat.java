package io.sangdam.presence;

import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationRecords.CustomerHistory;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.OfflineInquiry;
import io.sangdam.chat.Participant;
import io.sangdam.chat.Replay;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Queue;
import io.sangdam.routing.AgentProfile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the sockets ask of chat, one call each, shaped as chat's own methods: a handler takes
 * exactly the calls it makes (wired with method references in {@link AgentFrames} and
 * {@link CustomerFrames}), and its test answers them with a lambda, without a database.
 */
public final class Chat {
  private Chat() {}

  /**
   * Opens a conversation, with the customer's opening message if any (stored with it); {@code announce}
   * sees it before it is routed.
   */
  @FunctionalInterface
  public interface Start {
    CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
        Optional<FirstMessage> first, long originSession, Consumer<Conversation> announce);
  }

  /** Stores a participant's message; completes once committed and pushed to the others (the ack comes after). */
  @FunctionalInterface
  public interface Send {
    /** {@code button}: the id of the bot's button the customer chose (null: none). */
    CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
        String button, long originSession);

    default CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
        long originSession) {
      return send(sender, conversationId, cmid, text, null, originSession);
    }
  }

  /**
   * Announces a file already stored (its bytes in the content store, its row in the database) as a
   * participant's message; completes as {@link Send} does.
   */
  @FunctionalInterface
  public interface SendFile {
    CompletableFuture<StoredMessage> send(Participant sender, long conversationId, String cmid, String text,
        Attachment attachment, long originSession);
  }

  /** The conversation, if it is open and {@code who} takes part in it. */
  @FunctionalInterface
  public interface OpenFor {
    Optional<Conversation> openFor(Participant who, long conversationId);
  }

  /** The conversation, open or not; {@code not_found} when there is none. */
  @FunctionalInterface
  public interface Lookup {
    CompletableFuture<Conversation> lookup(long conversationId);
  }

  /** The conversation, open or not, read at once (blocks when it is not open). */
  @FunctionalInterface
  public interface Find {
    Optional<Conversation> find(long conversationId);
  }

  /** An agent closes a conversation; completes with the reason. */
  @FunctionalInterface
  public interface Close {
    CompletableFuture<String> close(long agentId, long conversationId, Long categoryId, List<String> tags,
        long originSession);
  }

  /** A customer leaves a conversation; completes with the reason. */
  @FunctionalInterface
  public interface Leave {
    CompletableFuture<String> leave(long customerId, long conversationId, long originSession);
  }

  /** The conversations waiting in an agent's queues. */
  @FunctionalInterface
  public interface Waiting {
    CompletableFuture<List<Conversation>> waitingFor(AgentProfile agent);
  }

  /** An agent takes a waiting conversation; the {@code assigned} that follows answers it. */
  @FunctionalInterface
  public interface Pick {
    CompletableFuture<Void> pick(AgentProfile agent, long conversationId);
  }

  /** A page of a conversation's messages after a seq, if {@code who} takes part in it. */
  @FunctionalInterface
  public interface Replays {
    CompletableFuture<Replay> replay(Participant who, long conversationId, long afterSeq);
  }

  /** A page of a conversation's messages after a seq, for a supervisor whose scope was checked. */
  @FunctionalInterface
  public interface SupervisorReplays {
    CompletableFuture<Replay> replayForSupervisor(long conversationId, long afterSeq);
  }

  /** Stores a note of a member of staff (an agent's note, a supervisor's whisper). */
  @FunctionalInterface
  public interface Note {
    CompletableFuture<io.sangdam.chat.Note> note(long authorId, long conversationId, String cmid, String text,
        long originSession);
  }

  /** The notes of a conversation the agent carries. */
  @FunctionalInterface
  public interface Notes {
    CompletableFuture<List<io.sangdam.chat.Note>> notes(long agentId, long conversationId);
  }

  /** A customer rates a closed conversation. */
  @FunctionalInterface
  public interface Rate {
    CompletableFuture<Void> rate(long customerId, long conversationId, int score, Optional<String> comment);
  }

  /** The customer of a conversation the agent carries, and their earlier conversations. */
  @FunctionalInterface
  public interface History {
    CompletableFuture<CustomerHistory> history(long agentId, long conversationId);
  }

  /** Leaves an inquiry for a closed center; completes with its id. */
  @FunctionalInterface
  public interface LeaveInquiry {
    CompletableFuture<Long> leaveInquiry(long tenantId, Queue queue, long customerId, String contact, String text);
  }

  /** A center's inquiries not yet handled (blocks). */
  @FunctionalInterface
  public interface PendingInquiries {
    List<OfflineInquiry> pendingInquiries(long centerId);
  }

  /** An agent hands a conversation back to a queue. */
  @FunctionalInterface
  public interface ToQueue {
    CompletableFuture<Void> toQueue(long agentId, long conversationId, Queue target, Optional<String> note,
        long originSession);
  }

  /** An agent hands a conversation straight to another agent. */
  @FunctionalInterface
  public interface ToAgent {
    CompletableFuture<Void> toAgent(long agentId, long conversationId, long targetId, String targetName,
        Optional<String> note, long originSession);
  }

  /** A supervisor becomes the conversation's agent; completes with it as it is then. */
  @FunctionalInterface
  public interface TakeOver {
    CompletableFuture<Conversation> takeOver(long supervisorId, String supervisorName, long conversationId,
        long originSession);
  }

  /** A supervisor gives the conversation to another agent. */
  @FunctionalInterface
  public interface Reassign {
    CompletableFuture<Void> reassign(long conversationId, long targetId, String targetName);
  }

  /** An agent puts a conversation on hold or takes it back. */
  @FunctionalInterface
  public interface Hold {
    CompletableFuture<Void> hold(long agentId, long conversationId, boolean hold, long originSession);
  }

  /**
   * An external bot's later reply (its REST call, on any node) to request {@code requestId} of the conversation,
   * carried out by the conversation's bot on the node that owns its center. {@code body}: the reply as the bot sent
   * it. Fails {@code not_found} for a conversation not of the endpoint's tenant, {@code conflict} when the
   * conversation awaits no such reply.
   */
  @FunctionalInterface
  public interface BotReply {
    CompletableFuture<Void> reply(long tenantId, long endpointId, long conversationId, String requestId, String body);
  }
}
