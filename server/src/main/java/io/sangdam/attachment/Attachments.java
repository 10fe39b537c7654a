package io.sangdam.attachment;

import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.chat.LiveConversations;
import io.sangdam.chat.Participant;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.presence.Chat;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads into a conversation and downloads from it. An upload is checked, its bytes stored (and
 * a preview made), recorded, then announced as a message through the conversation's ordinary
 * send, so it is acknowledged, sequenced and replayed like any other message. Every method blocks.
 */
public final class Attachments {
  private static final Logger log = LoggerFactory.getLogger(Attachments.class);
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final AttachmentStore store;
  private final ContentStore contents;
  private final LiveConversations live;
  private final ConversationLookup lookup;
  private final Chat.SendFile sending;
  private final Directory directory;
  private final int maxBytes;
  private final Set<String> allowedTypes;
  private final Clock clock;
  private final Previews previews;
  private final AccessLog access;

  /**
   * {@code sending}: the conversation's ordinary send, carried to the node owning its center (with many
   * nodes an upload may come to any node: the file is stored here, and only its announcement goes there).
   * {@code concurrentPreviews}: how many previews may be decoded at once (CPU work: past it, a
   * file is stored without one).
   */
  public Attachments(AttachmentStore store, ContentStore contents, LiveConversations live,
      ConversationLookup lookup, Chat.SendFile sending, Directory directory, int maxBytes, Set<String> allowedTypes, int concurrentPreviews, AccessLog access, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.contents = requireNonNull(contents, "contents");
    this.live = requireNonNull(live, "live");
    this.lookup = requireNonNull(lookup, "lookup");
    this.sending = requireNonNull(sending, "sending");
    this.directory = requireNonNull(directory, "directory");
    this.maxBytes = maxBytes;
    this.allowedTypes = Set.copyOf(allowedTypes);
    this.clock = requireNonNull(clock, "clock");
    this.previews = new Previews(new Semaphore(concurrentPreviews), Previews.WAIT);
    this.access = requireNonNull(access, "access");
  }

  /** A file as sent: the name the device gave it, the Content-Type it claimed (or null), and a cmid (or null). */
  public record Upload(String name, String declaredType, byte[] content, String cmid) {}

  /** A file to hand out: its record, the type to serve it as, and its bytes. */
  public record Download(Attachment attachment, String contentType, byte[] content) {
    /** Whether a browser may show it in the page; anything else is offered as a download. */
    public boolean inline() {
      return FileTypes.INLINE.contains(contentType);
    }
  }

  /**
   * Stores the file and announces it in the conversation, whose participant {@code uploader} must
   * be. An upload repeating a cmid the uploader used before answers the message stored then, and
   * stores nothing.
   */
  public StoredMessage upload(Participant uploader, long conversationId, Upload upload) {
    if (upload.cmid() != null) {
      Optional<StoredMessage> earlier = store.messageByCmid(uploader.kind(), uploader.id(), upload.cmid());
      if (earlier.isPresent() && earlier.get().attachment() == null) {
        throw new SangdamException(ErrorCode.CONFLICT, "cmid '" + upload.cmid() + "' was used for a message, not a file");
      }
      if (earlier.isPresent()) {
        return earlier.get().asRepeated();
      }
    }
    if (live.openFor(uploader, conversationId).isEmpty()) {
      throw lookup.refusal(uploader, conversationId);
    }
    String name = FileNames.sanitize(upload.name());
    if (name.isEmpty()) {
      throw Fields.invalid("name", "must name the file");
    }
    byte[] content = upload.content();
    if (content.length == 0) {
      throw new SangdamException(ErrorCode.INVALID_FIELD, "the file is empty");
    }
    if (content.length > maxBytes) {
      throw new SangdamException(ErrorCode.TOO_LARGE, "a file may have at most " + maxBytes + " bytes; this one has "
          + content.length);
    }
    String type = FileTypes.of(upload.declaredType(), name, content).orElseThrow(() -> new SangdamException(
        ErrorCode.UNSUPPORTED_TYPE, "the file's type is not recognised; send it with its Content-Type"));
    if (!allowedTypes.contains(type)) {
      throw new SangdamException(ErrorCode.UNSUPPORTED_TYPE, "files of type " + type + " are not accepted; accepted: "
          + String.join(", ", new TreeSet<>(allowedTypes)));
    }
    if (FileTypes.isMarkup(type, name, content)) {
      throw new SangdamException(ErrorCode.UNSUPPORTED_TYPE, "HTML, SVG and other markup is not accepted as a file "
          + "(a browser could run it as a page); send it inside a .zip");
    }
    if (!FileTypes.matches(type, content)) {
      throw new SangdamException(ErrorCode.UNSUPPORTED_TYPE, "the file's content is not " + type);
    }
    String sha256 = contents.put(content);
    String preview = previews.of(type, content).map(contents::put).orElse(null);
    Attachment attachment = store.insert(conversationId, name, type, content.length, sha256, preview,
        uploader.kind(), uploader.id(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    // Completes after the commit, on the writer's thread; only a conversation that ended meanwhile
    // needs the blocking executor this thread belongs to, so the wait is bounded.
    try {
      return sending.send(uploader, conversationId, upload.cmid(), name, attachment, 0)
          .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new SangdamException(ErrorCode.UNAVAILABLE, "the server is busy; try again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SangdamException(ErrorCode.UNAVAILABLE, "the server is stopping");
    }
  }

  /**
   * The file (or its preview) for a signed-in user: a participant, or a user whose scope covers the conversation.
   * Unless it is the reader's own live chat (they are its agent now), the read is on the access records, and the
   * file itself (not its preview) needs a {@code reason}.
   */
  public Download forUser(Reader reader, long attachmentId, boolean preview, String reason) {
    Principal user = reader.principal();
    Attachment a = store.attachment(attachmentId).orElseThrow(() -> notFound(attachmentId));
    Conversation c = conversation(a);
    if (!userMaySee(user, c)) {
      throw notFound(attachmentId);
    }
    if (c.state().isOpen() && c.isAssignedTo(user.id())) {
      return download(a, preview);
    }
    String why = preview && reason == null ? null : AccessRecord.reason(reason);
    Download file = download(a, preview);
    access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), preview ? "preview" : "download",
        "attachment " + a.id() + " of conversation " + c.id(), List.of(c.customerId()), why));
    return file;
  }

  /** The file (or its preview) for the customer of its conversation. */
  public Download forCustomer(long customerId, long attachmentId, boolean preview) {
    Attachment a = store.attachment(attachmentId).orElseThrow(() -> notFound(attachmentId));
    if (conversation(a).customerId() != customerId) {
      throw notFound(attachmentId);
    }
    return download(a, preview);
  }

  /** An attachment's bytes, for its delivery to a channel's customer (blocks); empty if it or its file is gone. */
  public Optional<byte[]> content(long attachmentId) {
    return store.attachment(attachmentId).flatMap(a -> contents.get(a.sha256()));
  }

  /**
   * Managers and admins by scope. An agent by the conversation: one they carry or carried, or an
   * earlier one of a customer they are serving now (whose history they are shown).
   */
  private boolean userMaySee(Principal user, Conversation c) {
    if (user.role() != Role.AGENT && user.may(Permission.TRANSCRIPTS_READ)) {
      boolean inScope = directory.center(c.centerId()).map(center -> Access.sees(user, center)).orElse(false);
      if (inScope) {
        return true;
      }
    }
    return store.wasAssigned(c.id(), user.id())
        || live.openForAgent(user.id()).stream().anyMatch(open -> open.customerId() == c.customerId());
  }

  private Conversation conversation(Attachment a) {
    return lookup.find(a.conversationId()).orElseThrow(() -> notFound(a.id()));
  }

  private Download download(Attachment a, boolean preview) {
    if (preview && !a.hasPreview()) {
      throw SangdamException.notFound("preview of attachment " + a.id());
    }
    String sha256 = preview ? a.previewSha256() : a.sha256();
    byte[] content = contents.get(sha256).orElseThrow(() -> {
      log.warn("attachment {} is recorded but its file {} is missing from the content store", a.id(), sha256);
      return SangdamException.notFound("the file of attachment " + a.id());
    });
    String type = preview ? FileTypes.sniff(content).orElse("application/octet-stream") : a.contentType();
    return new Download(a, type, content);
  }

  private static SangdamException notFound(long attachmentId) {
    return SangdamException.notFound("attachment " + attachmentId);
  }
}
