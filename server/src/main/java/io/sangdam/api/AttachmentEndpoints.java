package io.sangdam.api;

import io.sangdam.accesslog.Reader;
import io.sangdam.attachment.Attachments;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Participant;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files in conversations. The conversation's customer (by visitor token) and its agent upload the
 * raw file as the request body, its type in Content-Type and its name in {@code ?name=}; the
 * answer is the message that announced it. Downloads go to participants and users in scope.
 */
public final class AttachmentEndpoints implements Endpoints {
  private final Attachments attachments;

  public AttachmentEndpoints(Attachments attachments) {
    this.attachments = attachments;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("POST", "/api/conversations/{id}/attachments", Route.Callers.USERS_AND_CUSTOMERS, this::upload),
        new Route("GET", "/api/attachments/{id}", Route.Callers.USERS_AND_CUSTOMERS, call -> download(call, false)),
        new Route("GET", "/api/attachments/{id}/preview", Route.Callers.USERS_AND_CUSTOMERS,
            call -> download(call, true)));
  }

  private ApiResponse upload(Call call) {
    long conversation = Scope.id(call, "id", "conversation");
    String name = call.query("name").orElseThrow(() -> Fields.missing("name"));
    String cmid = call.query("cmid").orElse(null);
    if (cmid != null && (cmid.isEmpty() || cmid.length() > 64)) {
      throw Fields.invalid("cmid", "must have 1 to 64 characters");
    }
    Participant uploader = call.customer() != null ? Participant.customer(call.customer().customerId())
        : Participant.agent(call.principal().id());
    StoredMessage m = attachments.upload(uploader, conversation,
        new Attachments.Upload(name, call.request().contentType(), call.request().body(), cmid));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("conversation", m.conversationId());
    answer.put("seq", m.seq());
    if (cmid != null) {
      answer.put("cmid", cmid);
    }
    Attachment a = m.attachment();
    answer.put("attachment", ServerMessage.AttachmentView.of(a.id(), a.name(), a.size(), a.contentType(),
        a.hasPreview()));
    return m.repeated() ? ApiResponse.ok(answer) : ApiResponse.created(answer);
  }

  private ApiResponse download(Call call, boolean preview) {
    long id = Scope.id(call, "id", "attachment");
    Attachments.Download file = call.customer() != null
        ? attachments.forCustomer(call.customer().customerId(), id, preview)
        : attachments.forUser(new Reader(call.principal(), call.request().remoteAddress()), id, preview,
            call.query("reason").orElse(null));
    return ApiResponse.ok(new ApiResponse.FileBody(file.content(), file.contentType(), file.attachment().name(),
        file.inline()));
  }
}
