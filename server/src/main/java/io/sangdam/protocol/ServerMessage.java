package io.sangdam.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Every message the server sends on a WebSocket, as immutable records. The first component is
 * always the wire {@code type}; the short constructors fill it in.
 */
public sealed interface ServerMessage {

  /** {@code {"username","name"}} once a conversation has an agent. */
  record AgentRef(String username, String name) {}

  /** The customer as agents and customers see them; {@code id} lets managers address the customer (priority). */
  record CustomerRef(long id, String name) {}

  /**
   * The conversation object of PROTOCOL.md. {@code channel}: {@code web} (the widget) or the code of the
   * channel the customer writes from. {@code customerOnline}: a session of the customer is connected; left
   * out for a channel's conversation, whose customer has no session.
   */
  record ConversationView(long id, String tenant, String center, String queue, String channel, String state,
      CustomerRef customer, AgentRef agent, String createdAt, long lastSeq,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean customerOnline) {}

  /** To the agent who has a conversation and its watchers: the customer's last session closed, or one came back. */
  record Presence(String type, long conversation, String customer) implements ServerMessage {
    public Presence(long conversation, boolean online) {
      this("presence", conversation, online ? "online" : "offline");
    }
  }

  /**
   * {@code permissions}: the codes of what the user may do (docs/protocol.md, roles and permissions), so that a
   * console shows only that; {@code customRole}: the tenant's role they hold, when they hold one.
   */
  record UserView(long id, String username, String name, String role, String tenant, String center,
      List<String> permissions, @JsonInclude(JsonInclude.Include.NON_NULL) RoleRef customRole) {}

  /** A tenant's custom role, by id and name. */
  record RoleRef(long id, String name) {}

  /** {@code opensAt} only with {@code center_closed}: when the center opens next. */
  /** {@code field}: the request's field in error, when one is (docs/protocol.md 4.8). */
  record Error(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, String code, String message,
      @JsonInclude(JsonInclude.Include.NON_NULL) String opensAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String field) implements ServerMessage {
    public Error(JsonNode rid, ErrorCode code, String message) {
      this("error", rid, code.wire(), message, null, null);
    }

    public static Error of(JsonNode rid, SangdamException e) {
      String opensAt = e instanceof CenterClosedException closed && closed.opensAt() != null
          ? closed.opensAt().toString() : null;
      return new Error("error", rid, e.code().wire(), e.getMessage(), opensAt, e.field());
    }
  }

  record InquiryView(long id, String queue, CustomerRef customer, String contact, String text, String createdAt) {}

  /** The answer to {@code inquiries}: what customers left while the agent's center was closed, oldest first. */
  record Inquiries(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, List<InquiryView> inquiries)
      implements ServerMessage {
    public Inquiries(JsonNode rid, List<InquiryView> inquiries) {
      this("inquiries", rid, inquiries);
    }
  }

  /** The answer to an out-of-hours {@code start} with {@code "offline":true}: the inquiry is stored. */
  record InquiryStored(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long inquiry)
      implements ServerMessage {
    public InquiryStored(JsonNode rid, long inquiry) {
      this("inquiryStored", rid, inquiry);
    }
  }

  /** {@code identity}: "verified" when the company's signature matched, "refused" when it did not (the visitor is then anonymous). */
  record CustomerWelcome(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, String visitor,
      @JsonInclude(JsonInclude.Include.NON_NULL) String identity, List<ConversationView> open)
      implements ServerMessage {
    public CustomerWelcome(JsonNode rid, String visitor, String identity, List<ConversationView> open) {
      this("welcome", rid, visitor, identity, open);
    }
  }

  /**
   * The customer as agents see them: contact masked; {@code externalId} only for a verified identity;
   * {@code under14} only when their channel said they are under 14.
   */
  record CustomerProfile(long id, String name, String contact, String externalId,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean under14) {}

  /** An earlier conversation of the customer, with its transcript. */
  record PastConversation(ConversationView conversation, List<Message> messages) {}

  /**
   * The answer to {@code history}: the customer of a conversation and their earlier conversations,
   * newest first; {@code truncated} when older messages were left out to keep the answer small.
   */
  /** {@code botFields}: what a bot collected before it handed the conversation off (left out when nothing). */
  record History(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      CustomerProfile customer, List<PastConversation> earlier, boolean truncated,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BotField> botFields) implements ServerMessage {
    public History(JsonNode rid, long conversation, CustomerProfile customer, List<PastConversation> earlier,
        boolean truncated) {
      this("history", rid, conversation, customer, earlier, truncated, List.of());
    }

    public History(JsonNode rid, long conversation, CustomerProfile customer, List<PastConversation> earlier,
        boolean truncated, List<BotField> botFields) {
      this("history", rid, conversation, customer, earlier, truncated, botFields);
    }
  }

  /** A field a bot's form collected, as staff see it: {@code value} masked when the field is personal. */
  record BotField(String name, String label, String value) {}

  /**
   * {@code status} is the agent's current one (another tab may have set it), {@code reason} its away
   * reason if it has one; {@code awayReasons} those of the tenant an agent may choose now (none for
   * a user without a center, who has no status).
   */
  record AgentWelcome(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, UserView user,
      String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason, List<AwayReasonView> awayReasons,
      List<ConversationView> conversations) implements ServerMessage {
    public AgentWelcome(JsonNode rid, UserView user, String status, String reason, List<AwayReasonView> awayReasons,
        List<ConversationView> conversations) {
      this("welcome", rid, user, status, reason, awayReasons, conversations);
    }
  }

  /** An away reason as consoles list it: {@code nameEn} for their English mode (null: {@code name} there too). */
  record AwayReasonView(String code, String name, @JsonInclude(JsonInclude.Include.NON_NULL) String nameEn) {}

  /**
   * The answer to a status change (with its rid) and the news of it to the agent's other sessions
   * (without); {@code reason}: the away reason's code, with AWAY only.
   */
  record Status(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) implements ServerMessage {
    public Status(JsonNode rid, String status, String reason) {
      this("status", rid, status, reason);
    }
  }

  record Started(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid,
      ConversationView conversation) implements ServerMessage {
    public Started(JsonNode rid, ConversationView conversation) {
      this("started", rid, conversation);
    }
  }

  /** To the customer: only the agent's display name. */
  record AssignedToCustomer(String type, long conversation, CustomerAgentRef agent) implements ServerMessage {
    public record CustomerAgentRef(String name) {}

    public AssignedToCustomer(long conversation, String agentName) {
      this("assigned", conversation, new CustomerAgentRef(agentName));
    }
  }

  /** To the agent: the whole conversation object, a transfer's note, and the rid of the pick that won it. */
  record AssignedToAgent(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid,
      ConversationView conversation, @JsonInclude(JsonInclude.Include.NON_NULL) String note) implements ServerMessage {
    public AssignedToAgent(ConversationView conversation, String note) {
      this("assigned", null, conversation, note);
    }

    public AssignedToAgent withRid(JsonNode newRid) {
      return new AssignedToAgent(type, newRid, conversation, note);
    }
  }

  /** To a waiting customer: place in line (1 = next) and estimated wait, null while nobody serves the queue. */
  record QueuePosition(String type, long conversation, int position, Integer etaSeconds) implements ServerMessage {
    public QueuePosition(long conversation, int position, Integer etaSeconds) {
      this("queue", conversation, position, etaSeconds);
    }
  }

  record Transferred(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation)
      implements ServerMessage {
    public Transferred(JsonNode rid, long conversation) {
      this("transferred", rid, conversation);
    }
  }

  /** To both sides: the conversation is on hold (or no longer). */
  record Hold(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation, boolean hold)
      implements ServerMessage {
    public Hold(JsonNode rid, long conversation, boolean hold) {
      this("hold", rid, conversation, hold);
    }
  }

  /** The answer to {@code waiting}: the waiting conversations of the agent's queues, in routing order. */
  record Waiting(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid,
      List<ConversationView> conversations) implements ServerMessage {
    public Waiting(JsonNode rid, List<ConversationView> conversations) {
      this("waiting", rid, conversations);
    }
  }

  /** To the agents of a MANUAL queue: a conversation joined its waiting list. */
  record WaitingAdded(String type, ConversationView conversation) implements ServerMessage {
    public WaitingAdded(ConversationView conversation) {
      this("waitingAdded", conversation);
    }
  }

  /** To the agents of a MANUAL queue: a conversation left its waiting list (picked, moved or ended). */
  /** An agent's, bot's or system message, or the end ({@code item} {@code closed}), a channel's customer never got. */
  record DeliveryFailed(String type, long conversation, long seq, String item, String reason) implements ServerMessage {
    public DeliveryFailed(long conversation, long seq, String item, String reason) {
      this("deliveryFailed", conversation, seq, item, reason);
    }
  }

  record WaitingRemoved(String type, long conversation) implements ServerMessage {
    public WaitingRemoved(long conversation) {
      this("waitingRemoved", conversation);
    }
  }

  /** For an internal note, {@code seq} is the note's own id and {@code note} is true. */
  record Ack(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      String cmid, long seq, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean note) implements ServerMessage {
    public Ack(JsonNode rid, long conversation, String cmid, long seq) {
      this("ack", rid, conversation, cmid, seq, null);
    }

    public static Ack ofNote(JsonNode rid, long conversation, String cmid, long noteId) {
      return new Ack("ack", rid, conversation, cmid, noteId, true);
    }
  }

  /** An internal note, to agents only: {@code kind} NOTE, TRANSFER or WHISPER. */
  record NoteView(String type, long conversation, long id, String kind, AgentRef author, String text, String at)
      implements ServerMessage {
    public NoteView(long conversation, long id, String kind, AgentRef author, String text, String at) {
      this("note", conversation, id, kind, author, text, at);
    }
  }

  /** The answer to {@code notes}: a conversation's internal notes, oldest first. */
  record Notes(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      List<NoteView> notes) implements ServerMessage {
    public Notes(JsonNode rid, long conversation, List<NoteView> notes) {
      this("notes", rid, conversation, notes);
    }
  }

  /** To the customer: their rating is stored; to the agent: the rating a customer gave. */
  record Rated(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer score,
      @JsonInclude(JsonInclude.Include.NON_NULL) String comment) implements ServerMessage {
    public Rated(JsonNode rid, long conversation) {
      this("rated", rid, conversation, null, null);
    }

    public Rated(long conversation, int score, String comment) {
      this("rated", null, conversation, score, comment);
    }
  }

  record CategoryView(long id, Long parent, int level, String name) {}

  /**
   * A supervisor's answer for {@code type}: watching (with the conversation, whose messages now
   * follow), unwatched, takenOver (the supervisor is now the assignee) or reassigned.
   */
  record Supervised(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid,
      ConversationView conversation, @JsonInclude(JsonInclude.Include.NON_NULL) String reason)
      implements ServerMessage {
    public Supervised(String type, JsonNode rid, ConversationView conversation) {
      this(type, rid, conversation, null);
    }

    /**
     * Pushed when the server stops a watch: the conversation moved out of the supervisor's scope
     * ({@code reason} {@code scope}); shown as the supervisor last saw it, never where it went.
     */
    public static Supervised outOfScope(ConversationView lastSeen) {
      return new Supervised("unwatched", null, lastSeen, "scope");
    }
  }

  /** A canned response as an agent sees it; {@code level}: tenant, center or personal. */
  record CannedView(long id, String level, String title, String shortcut, String body) {}

  /** The answer to {@code canned}: what the agent may use matching the query, nearest level first. */
  record Canned(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, List<CannedView> responses)
      implements ServerMessage {
    public Canned(JsonNode rid, List<CannedView> responses) {
      this("canned", rid, responses);
    }
  }

  /** The answer to {@code categories}: the tenant's enabled categories, level by level. */
  /** Where an agent may transfer one of their chats: the other users of their center, and the tenant's queues. */
  record TransferTargets(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      List<TransferAgent> agents, List<TransferQueue> queues) implements ServerMessage {
    public TransferTargets(JsonNode rid, long conversation, List<TransferAgent> agents, List<TransferQueue> queues) {
      this("transferTargets", rid, conversation, agents, queues);
    }
  }

  /** {@code room}: ONLINE with fewer open chats than they may carry of this conversation's queue. */
  record TransferAgent(String username, String name, String status, int openChats, int maxChats, boolean room) {}

  /** {@code target}: "center/queue", as {@code transfer}'s {@code toQueue} takes it. */
  record TransferQueue(String target, String center, String centerName, String code, String name) {}

  record Categories(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid,
      List<CategoryView> categories) implements ServerMessage {
    public Categories(JsonNode rid, List<CategoryView> categories) {
      this("categories", rid, categories);
    }
  }

  /** The other side is typing in a conversation ({@code from}: customer or agent). */
  record Typing(String type, long conversation, String from) implements ServerMessage {
    public Typing(long conversation, String from) {
      this("typing", conversation, from);
    }
  }

  /** The other side has read the conversation up to {@code seq}. */
  record Read(String type, long conversation, String by, long seq) implements ServerMessage {
    public Read(long conversation, String by, long seq) {
      this("read", conversation, by, seq);
    }
  }

  /**
   * A file a message announces; participants and users whose scope covers the conversation fetch
   * {@code url} (and, for images, {@code previewUrl}) with their token.
   */
  record AttachmentView(long id, String name, long size, String contentType, String url,
      @JsonInclude(JsonInclude.Include.NON_NULL) String previewUrl) {
    public static AttachmentView of(long id, String name, long size, String contentType, boolean hasPreview) {
      String url = "/api/attachments/" + id;
      return new AttachmentView(id, name, size, contentType, url, hasPreview ? url + "/preview" : null);
    }
  }

  /** {@code attachment} only on a message that announces a file; its {@code text} is then the file's name. */
  /**
   * {@code buttons}: a bot's, under its message (left out when none). {@code key} and {@code params}: what a
   * system message says, for the reader's language (docs/protocol.md 4.8); left out on other messages and on
   * system messages stored before keys.
   */
  record Message(String type, long conversation, long seq, String from, String name, String text, String at,
      @JsonInclude(JsonInclude.Include.NON_NULL) AttachmentView attachment,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<ButtonView> buttons,
      @JsonInclude(JsonInclude.Include.NON_NULL) String key,
      @JsonInclude(JsonInclude.Include.NON_NULL) java.util.Map<String, String> params) implements ServerMessage {
    public Message(long conversation, long seq, String from, String name, String text, String at,
        AttachmentView attachment) {
      this("message", conversation, seq, from, name, text, at, attachment, java.util.List.of(), null, null);
    }

    public Message(long conversation, long seq, String from, String name, String text, String at,
        AttachmentView attachment, java.util.List<ButtonView> buttons, String key, java.util.Map<String, String> params) {
      this("message", conversation, seq, from, name, text, at, attachment, buttons, key, params);
    }
  }

  /** A button under a bot's message: a customer's {@code send} may name {@code id}. */
  record ButtonView(String id, String label) {}

  record Resumed(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      long lastSeq) implements ServerMessage {
    public Resumed(JsonNode rid, long conversation, long lastSeq) {
      this("resumed", rid, conversation, lastSeq);
    }
  }

  /**
   * Carries the rid only for the session whose close or leave it answers. {@code rate} is true for
   * the customer of a conversation an agent handled: the invitation to rate it.
   */
  record Closed(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long conversation,
      String reason, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean rate) implements ServerMessage {
    public Closed(JsonNode rid, long conversation, String reason) {
      this("closed", rid, conversation, reason, null);
    }

    public Closed inviteToRate() {
      return new Closed(type, rid, conversation, reason, true);
    }
  }

  /** The live dashboard of PROTOCOL.md for the caller's scope; {@code agentDetails} only for one center. */
  record Dashboard(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, String at,
      List<DashboardTenant> tenants, @JsonInclude(JsonInclude.Include.NON_NULL) DashboardTotals group)
      implements ServerMessage {
    public Dashboard(JsonNode rid, String at, List<DashboardTenant> tenants, DashboardTotals group) {
      this("dashboard", rid, at, tenants, group);
    }
  }

  /** {@code totals}: the tenant's centers added up. */
  record DashboardTenant(String code, String name, List<DashboardCenter> centers, DashboardTotals totals) {}

  /**
   * Centers added up (a tenant's, or every tenant's as the {@code group}): the waiting and in progress summed,
   * the longest wait of any, the agents and today's figures summed, the service level of the sums.
   */
  record DashboardTotals(int centers, int waiting, long longestWaitSeconds, int inProgress, AgentCounts agents,
      DashboardToday today) {}

  /**
   * {@code threshold}: the center's own alert limits, if set; {@code alerts}: the figures past them now
   * ({@code waiting}, {@code longestWait}).
   */
  record DashboardCenter(String code, String name, boolean open, int waiting, long longestWaitSeconds,
      int inProgress, AgentCounts agents, DashboardToday today, List<DashboardQueue> queues,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<DashboardAgent> agentDetails,
      @JsonInclude(JsonInclude.Include.NON_NULL) DashboardThreshold threshold, List<String> alerts) {}

  /** Alert limits: from this many waiting, from this long a wait; null sets no alert on that figure. */
  record DashboardThreshold(Integer waiting, Integer longestWaitSeconds) {}

  record AgentCounts(int online, int away, int offline) {}

  /** The center's conversations started since its local midnight that have ended; {@code serviceLevel} null without any. */
  record DashboardToday(long offered, long handled, long abandoned, Double serviceLevel) {}

  /** {@code threshold} and {@code alerts} as the center's, for the queue's own limits. */
  record DashboardQueue(String code, String name, int waiting, long longestWaitSeconds, int inProgress,
      @JsonInclude(JsonInclude.Include.NON_NULL) DashboardThreshold threshold, List<String> alerts) {}

  /** {@code statusSeconds}: time in the current status; an agent not connected since the start counts from then. */
  record DashboardAgent(String username, String name, String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason, int openChats, long statusSeconds) {}

  /**
   * The answer to a customer's {@code callbackSlots}: the starts of the slots a callback may be asked for, earliest
   * first, each {@code minutes} long, on the clock of the center's {@code timezone} (the widget shows them so).
   */
  record CallbackSlots(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, int minutes,
      List<String> slots, String timezone) implements ServerMessage {
    public CallbackSlots(JsonNode rid, int minutes, List<String> slots, String timezone) {
      this("callbackSlots", rid, minutes, slots, timezone);
    }
  }

  /** The answer to a customer's {@code callback}: the request is stored (or was, under the same {@code clientId}). */
  record CallbackStored(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, long callback,
      String slot) implements ServerMessage {
    public CallbackStored(JsonNode rid, long callback, String slot) {
      this("callbackStored", rid, callback, slot);
    }
  }

  /** To agents serving a queue: its callback requests changed (one stored, claimed or called); read the queue again. */
  record CallbacksChanged(String type) implements ServerMessage {
    public CallbacksChanged() {
      this("callbacksChanged");
    }
  }

  /** An inquiry type a customer may choose. */
  record QueueChoice(String code, String name) {}

  /**
   * The answer to a customer's {@code queues}: the center's inquiry types and whether it is open
   * now; when closed, {@code opensAt} (if it opens within a year) and {@code outOfHours}
   * ({@code OFFLINE_FORM}: leave an inquiry; {@code ACCEPT}: chats are taken anyway); with {@code opensAt} the
   * {@code timezone} of the center's hours, whose clock the widget says it on.
   */
  record Queues(String type, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rid, String center,
      boolean open, @JsonInclude(JsonInclude.Include.NON_NULL) String opensAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) String outOfHours, List<QueueChoice> queues,
      @JsonInclude(JsonInclude.Include.NON_NULL) String timezone) implements ServerMessage {
    public Queues(JsonNode rid, String center, boolean open, String opensAt, String outOfHours,
        List<QueueChoice> queues, String timezone) {
      this("queues", rid, center, open, opensAt, outOfHours, queues, timezone);
    }
  }
}
