package io.sangdam.presence;

import io.sangdam.chat.Assignments;
import io.sangdam.chat.Closing;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.ConversationStart;
import io.sangdam.chat.Handover;
import io.sangdam.chat.Sending;

/**
 * What the sockets ask of a conversation's owner: every call that changes a conversation, or asks its
 * center's routing. On one node they are chat's own methods ({@link #local}); with many nodes each is
 * carried out by the node that owns the conversation's center, wherever the asking session is (or, for a
 * file, the upload was received).
 */
public record ChatCalls(Chat.Start start, Chat.Send send, Chat.SendFile sendFile, Chat.Close close, Chat.Leave leave,
    Chat.Waiting waiting, Chat.Pick pick, Chat.Note note, Chat.Note whisper, Chat.Rate rate, Chat.ToQueue toQueue, Chat.ToAgent toAgent,
    Chat.Hold hold, Chat.TakeOver takeOver, Chat.Reassign reassign, Chat.BotReply botReply) {

  /** This node's chat does them all; {@code botReply}: this node's bots. */
  public static ChatCalls local(ConversationStart starting, Sending sending, Closing closing,
      Assignments assignments, ConversationRecords records, Handover handover, Chat.BotReply botReply) {
    return new ChatCalls(starting::start, sending::answer, sending::send, closing::close, closing::leave,
        assignments::waitingFor, assignments::pick, records::note, records::whisper, records::rate, handover::toQueue, handover::toAgent,
        handover::hold, handover::takeOver, handover::reassign, botReply);
  }
}
