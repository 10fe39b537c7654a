package io.sangdam.cluster;

import static io.sangdam.cluster.EventCodec.putIfPresent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.Note;
import io.sangdam.chat.Notice;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import java.time.Instant;

/**
 * The wire form of the records inside conversation events (format 1, see {@link EventCodec}).
 * Instants are ISO-8601 text, to the nanosecond; enums their Java name; null values are left out.
 */
final class WireRecords {

  /** Writes {@code c} as the field {@code "conversation"} of {@code o}. */
  void conversation(ObjectNode o, Conversation c) {
    ObjectNode w = o.putObject("conversation");
    w.put("id", c.id());
    w.put("tenant", c.tenantId());
    w.put("center", c.centerId());
    w.put("queue", c.queueId());
    w.put("customer", c.customerId());
    putIfPresent(w, "customerName", c.customerName());
    putIfPresent(w, "agent", c.agentId());
    w.put("state", c.state().name());
    w.put("priority", c.priority());
    putIfPresent(w, "createdAt", text(c.createdAt()));
    putIfPresent(w, "queuedAt", text(c.queuedAt()));
    putIfPresent(w, "assignedAt", text(c.assignedAt()));
    w.put("lastSeq", c.lastSeq());
    w.put("answered", c.answered());
    w.put("channel", c.channel());
  }

  /** Reads the field {@code "conversation"} of {@code f}. */
  Conversation conversation(WireFields f) {
    WireFields r = f.object("conversation");
    return new Conversation(r.integer64("id"), r.integer64("tenant"), r.integer64("center"), r.integer64("queue"),
        r.integer64("customer"), r.optionalText("customerName"), r.optionalInteger64("agent"),
        r.constant("state", ConversationState.class), r.integer("priority"), r.optionalInstant("createdAt"),
        r.optionalInstant("queuedAt"), r.optionalInstant("assignedAt"), r.integer64("lastSeq"), r.bool("answered"),
        r.optionalText("channel"));
  }

  void message(ObjectNode w, StoredMessage m) {
    w.put("conversation", m.conversationId());
    w.put("seq", m.seq());
    w.put("senderKind", m.senderKind().name());
    putIfPresent(w, "sender", m.senderId());
    putIfPresent(w, "cmid", m.cmid());
    putIfPresent(w, "body", m.body());
    putIfPresent(w, "at", text(m.at()));
    if (m.attachment() != null) {
      attachment(w.putObject("attachment"), m.attachment());
    }
    w.put("repeated", m.repeated());
    putIfPresent(w, "name", m.name());
    if (!m.buttons().isEmpty()) {
      m.buttons().forEach(b -> w.withArray("buttons").addObject().put("id", b.id()).put("label", b.label()));
    }
    putIfPresent(w, "button", m.button());
    if (m.notice() != null) {
      ObjectNode params = w.putObject("notice").put("key", m.notice().key()).putObject("params");
      m.notice().params().forEach(params::put);
    }
  }

  StoredMessage message(WireFields r) {
    WireFields attachment = r.optionalObject("attachment");
    return new StoredMessage(r.integer64("conversation"), r.integer64("seq"),
        r.constant("senderKind", SenderKind.class), r.optionalInteger64("sender"), r.optionalText("cmid"),
        r.optionalText("body"), r.optionalInstant("at"), attachment == null ? null : attachment(attachment),
        r.bool("repeated"), r.optionalText("name"), r.optionalObjects("buttons").stream()
            .map(b -> new io.sangdam.chat.Choice(b.text("id"), b.text("label"))).toList(), r.optionalText("button"),
        notice(r.optionalObject("notice")));
  }

  private static Notice notice(WireFields n) {
    return n == null ? null : new Notice(n.text("key"), n.object("params").texts());
  }

  void note(ObjectNode w, Note n) {
    w.put("id", n.id());
    w.put("conversation", n.conversationId());
    w.put("author", n.authorId());
    putIfPresent(w, "kind", n.kind());
    putIfPresent(w, "cmid", n.cmid());
    putIfPresent(w, "body", n.body());
    putIfPresent(w, "at", text(n.at()));
    w.put("repeated", n.repeated());
  }

  Note note(WireFields r) {
    return new Note(r.integer64("id"), r.integer64("conversation"), r.integer64("author"), r.optionalText("kind"),
        r.optionalText("cmid"), r.optionalText("body"), r.optionalInstant("at"), r.bool("repeated"));
  }

  private void attachment(ObjectNode w, Attachment a) {
    w.put("id", a.id());
    w.put("conversation", a.conversationId());
    putIfPresent(w, "name", a.name());
    putIfPresent(w, "contentType", a.contentType());
    w.put("size", a.size());
    putIfPresent(w, "sha256", a.sha256());
    putIfPresent(w, "previewSha256", a.previewSha256());
    w.put("uploaderKind", a.uploaderKind().name());
    w.put("uploader", a.uploaderId());
    putIfPresent(w, "at", text(a.at()));
  }

  private Attachment attachment(WireFields r) {
    return new Attachment(r.integer64("id"), r.integer64("conversation"), r.optionalText("name"),
        r.optionalText("contentType"), r.integer64("size"), r.optionalText("sha256"), r.optionalText("previewSha256"),
        r.constant("uploaderKind", SenderKind.class), r.integer64("uploader"), r.optionalInstant("at"));
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }
}
