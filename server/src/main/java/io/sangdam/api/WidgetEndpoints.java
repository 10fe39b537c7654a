package io.sangdam.api;

import io.sangdam.accesslog.Reader;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.privacy.Masking;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.search.ConversationSearch;
import io.sangdam.widget.PreChatAnswers;
import io.sangdam.widget.PreChatForm;
import io.sangdam.widget.WidgetSettings;
import io.sangdam.widget.WidgetStore;
import io.sangdam.widget.Widgets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A center's widget: its settings and logo for the center's managers; the same, as the widget shows them, for
 * anyone (the widget loads them before a customer is known); and what a customer gave in the pre-chat form, for
 * those who may read the conversation, personal values masked.
 */
public final class WidgetEndpoints implements Endpoints {
  private static final String ADMIN = "/api/tenants/{tenant}/centers/{center}/widget";
  private static final String PUBLIC = "/api/widget/{tenant}/{center}";

  private final Directory directory;
  private final Widgets widgets;
  private final ConversationSearch search;

  public WidgetEndpoints(Directory directory, Widgets widgets, ConversationSearch search) {
    this.directory = directory;
    this.widgets = widgets;
    this.search = search;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", ADMIN, true, call -> ApiResponse.ok(view(managed(call), true))),
        new Route("PUT", ADMIN, true, this::update),
        new Route("PUT", ADMIN + "/logo", true, this::setLogo),
        new Route("DELETE", ADMIN + "/logo", true, this::removeLogo),
        new Route("GET", PUBLIC, false, call -> ApiResponse.ok(view(shown(call), false))),
        new Route("GET", PUBLIC + "/logo", false, this::logo),
        new Route("GET", "/api/conversations/{id}/pre-chat", true, this::answers));
  }

  /** A center in the caller's scope, for a manager or wider role. */
  private Center managed(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.center(directory, call, Scope.tenant(directory, call));
  }

  /** An enabled center of an active tenant, as a customer's widget may load it; anything else is not found. */
  private Center shown(Call call) {
    String tenantCode = call.param("tenant").toLowerCase(Locale.ROOT);
    String centerCode = call.param("center").toLowerCase(Locale.ROOT);
    Optional<Tenant> tenant = Fields.SLUG.matcher(tenantCode).matches()
        ? directory.tenantByCode(tenantCode).filter(t -> t.status().equals("ACTIVE")) : Optional.empty();
    return tenant.filter(t -> Fields.SLUG.matcher(centerCode).matches())
        .flatMap(t -> directory.center(t.id(), centerCode)).filter(Center::enabled)
        .orElseThrow(() -> SangdamException.notFound("widget"));
  }

  private ApiResponse update(Call call) {
    Center c = managed(call);
    widgets.update(c.tenantId(), c.id(), call.body());
    return ApiResponse.ok(view(c, true));
  }

  private ApiResponse setLogo(Call call) {
    Center c = managed(call);
    widgets.setLogo(c.tenantId(), c.id(), call.request().body());
    return ApiResponse.ok(view(c, true));
  }

  private ApiResponse removeLogo(Call call) {
    Center c = managed(call);
    widgets.removeLogo(c.id());
    return ApiResponse.ok(view(c, true));
  }

  private ApiResponse logo(Call call) {
    Center c = shown(call);
    WidgetStore.Logo logo = widgets.logo(c.id()).orElseThrow(() -> SangdamException.notFound("logo"));
    return ApiResponse.ok(new ApiResponse.FileBody(logo.image(), logo.contentType(), "logo", true));
  }

  /**
   * The settings. {@code full}: as an admin edits them (the form's settings and the consent's version);
   * else as the widget needs them, the logo as one address whichever way it was given.
   */
  private Map<String, Object> view(Center c, boolean full) {
    WidgetSettings s = widgets.settings(c.id());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("title", s.title());
    out.put("brandColor", s.brandColor());
    out.put("welcome", s.welcome());
    if (full) {
      out.put("logoUrl", s.logoUrl());
      out.put("hasLogo", s.hasLogo());
    } else {
      String tenant = directory.tenant(c.tenantId()).map(Tenant::code).orElse("");
      out.put("logo", s.hasLogo() ? "/api/widget/" + tenant + "/" + c.code() + "/logo" : s.logoUrl());
    }
    out.put("allowTranscript", s.allowTranscript());
    PreChatForm f = s.form();
    Map<String, Object> form = new LinkedHashMap<>();
    form.put("enabled", f.enabled());
    form.put("name", f.name().name());
    form.put("contact", f.contact().name());
    form.put("inquiryTypes", f.inquiryTypes());
    form.put("consentRequired", f.consentRequired());
    form.put("consentText", f.consentText());
    form.put("consentVersion", f.consentVersion());
    out.put("form", full || f.enabled() ? form : null);
    return out;
  }

  private ApiResponse answers(Call call) {
    long id = Scope.id(call, "id", "conversation");
    PreChatAnswers a = search.preChatAnswers(new Reader(call.principal(), call.request().remoteAddress()), id,
        () -> widgets.answersOf(id).orElseThrow(() -> SangdamException.notFound("pre-chat form")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation", id);
    out.put("name", Masking.name(a.name()));
    out.put("contact", Masking.contact(a.contact()));
    out.put("inquiryType", a.inquiryType());
    if (a.consentVersion() != null) {
      out.put("consent", Map.of("version", a.consentVersion(), "text", a.consentText(),
          "agreedAt", a.consentedAt().toString()));
    } else {
      out.put("consent", null);
    }
    return ApiResponse.ok(out);
  }
}
