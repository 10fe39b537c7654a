package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.bot.BotEditor;
import io.sangdam.bot.BotEntry;
import io.sangdam.bot.SavedScenario;
import io.sangdam.bot.ScenarioVersion;
import io.sangdam.bot.scenario.InvalidScenarioException;
import io.sangdam.bot.scenario.ScenarioProblem;
import io.sangdam.channel.Channel;
import io.sangdam.channel.Channels;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bot's scenarios (docs/protocol.md 3.22) and where each greets: tenant admins and HQ save them, a center's
 * managers read them. A save is a new version, which new conversations start on. A scenario that does not check is
 * 422 {@code invalid_field} with every problem, each naming its node, in {@code error.problems}. A scenario no entry
 * greets with may be deleted; its versions stay readable, as conversations walking one go on.
 */
public final class ScenarioEndpoints implements Endpoints {
  private static final String SCENARIOS = "/api/tenants/{tenant}/scenarios";
  private static final String ENTRIES = "/api/tenants/{tenant}/scenario-entries";

  private final Directory directory;
  private final BotEditor bots;
  private final Channels channels;

  public ScenarioEndpoints(Directory directory, BotEditor bots, Channels channels) {
    this.directory = directory;
    this.bots = bots;
    this.channels = channels;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", SCENARIOS, true, this::list),
        new Route("POST", SCENARIOS, true, refusedWithProblems(this::create)),
        new Route("POST", SCENARIOS + "/validate", true, this::validate),
        new Route("GET", SCENARIOS + "/{id}", true, this::read),
        new Route("PUT", SCENARIOS + "/{id}", true, refusedWithProblems(this::save)),
        new Route("DELETE", SCENARIOS + "/{id}", true, this::delete),
        new Route("GET", SCENARIOS + "/{id}/versions", true, this::versions),
        new Route("GET", SCENARIOS + "/{id}/versions/{version}", true, this::version),
        new Route("GET", ENTRIES, true, this::entries),
        new Route("PUT", ENTRIES, true, refusedWithProblems(this::setEntry)),
        new Route("DELETE", ENTRIES, true, this::deleteEntry));
  }

  /** Reads: admins, and the tenant's center managers. */
  private Tenant reader(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.tenant(directory, call);
  }

  private Tenant editor(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private SavedScenario scenario(Call call, Tenant tenant) {
    long id = Scope.id(call, "id", "scenario");
    return bots.scenario(tenant.id(), id).orElseThrow(() -> SangdamException.notFound("scenario " + id));
  }

  private ApiResponse list(Call call) {
    Tenant tenant = reader(call);
    return ApiResponse.ok(Paging.page(call, bots.scenarios(tenant.id()).stream().map(ScenarioEndpoints::summary)
        .toList()));
  }

  /** The scenario JSON itself -> 201 with its id and {@code version} 1. */
  private ApiResponse create(Call call) {
    Tenant tenant = editor(call);
    JsonNode body = call.body().node();
    Principal p = call.principal();
    return ApiResponse.created(summary(bots.create(tenant.id(), body, source(call), p.id(),
        p.user().username())));
  }

  /** The scenario JSON itself -> its next version (in {@code version}). */
  private ApiResponse save(Call call) {
    Tenant tenant = editor(call);
    SavedScenario scenario = scenario(call, tenant);
    JsonNode body = call.body().node();
    Principal p = call.principal();
    return ApiResponse.ok(summary(bots.save(tenant.id(), scenario.id(), body, source(call), p.id(),
        p.user().username()).orElseThrow(() -> SangdamException.notFound("scenario " + scenario.id()))));
  }

  /** 204; 404 when there is no such scenario (or it is deleted); 409 {@code conflict} naming the entries using it. */
  private ApiResponse delete(Call call) {
    Tenant tenant = editor(call);
    long id = Scope.id(call, "id", "scenario");
    if (!bots.deleteScenario(tenant.id(), id)) {
      throw SangdamException.notFound("scenario " + id);
    }
    return ApiResponse.noContent();
  }

  /**
   * A dry run: the problems the scenario JSON would be refused with, none when it would be saved; {@code ?scenario=}
   * an id checks it where that scenario greets now, as its save would.
   */
  private ApiResponse validate(Call call) {
    Tenant tenant = reader(call);
    JsonNode body = call.body().node();
    long scenarioId = 0;
    if (call.query("scenario").isPresent()) {
      String given = call.query("scenario").get();
      try {
        scenarioId = bots.scenario(tenant.id(), Long.parseLong(given)).map(SavedScenario::id).orElse(0L);
      } catch (NumberFormatException e) {
        scenarioId = 0;
      }
      if (scenarioId == 0) {
        throw SangdamException.notFound("scenario '" + given + "'");
      }
    }
    List<ScenarioProblem> problems = bots.problems(tenant.id(), scenarioId, body);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid", problems.isEmpty());
    out.put("problems", problems.stream().map(ScenarioEndpoints::problem).toList());
    return ApiResponse.ok(out);
  }

  /** The scenario at its current version, with the JSON as it was saved. */
  private ApiResponse read(Call call) {
    Tenant tenant = reader(call);
    SavedScenario scenario = scenario(call, tenant);
    ScenarioVersion current = bots.version(tenant.id(), scenario.id(), scenario.currentVersion())
        .orElseThrow(() -> SangdamException.notFound("scenario " + scenario.id()));
    return ApiResponse.ok(withVersion(summary(scenario), current, call));
  }

  private ApiResponse versions(Call call) {
    Tenant tenant = reader(call);
    SavedScenario scenario = scenario(call, tenant);
    return ApiResponse.ok(Paging.page(call, bots.versions(tenant.id(), scenario.id()).stream()
        .map(ScenarioEndpoints::versionSummary).toList()));
  }

  /** One version; also of a deleted scenario (never {@code current} then), which transcripts may name. */
  private ApiResponse version(Call call) {
    Tenant tenant = reader(call);
    long id = Scope.id(call, "id", "scenario");
    String number = call.param("version");
    int version;
    try {
      version = Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw SangdamException.notFound("version '" + number + "' of scenario " + id);
    }
    ScenarioVersion found = bots.version(tenant.id(), id, version)
        .orElseThrow(() -> SangdamException.notFound("version " + version + " of scenario " + id));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("current", bots.scenario(tenant.id(), id).filter(s -> s.currentVersion() == version).isPresent());
    return ApiResponse.ok(withVersion(out, found, call));
  }

  // --- entries

  /** Every entry of the tenant; a center's manager sees those of their center (its channels' included). */
  private ApiResponse entries(Call call) {
    Tenant tenant = reader(call);
    Principal p = call.principal();
    return ApiResponse.ok(Paging.page(call, bots.entries(tenant.id()).stream()
        .filter(e -> Access.sees(p, tenant.id(), e.homeCenterId())).map(this::entry).toList()));
  }

  /**
   * {@code {"center","queue"?,"scenario"}} or {@code {"channel","scenario"}}: that scenario greets new conversations
   * there from now, in place of any other; {@code "scenario": null} (given, as null) says no bot greets there, the
   * most specific place winning as ever.
   */
  private ApiResponse setEntry(Call call) {
    Tenant tenant = editor(call);
    Fields body = call.body();
    BotEditor.Place place = place(tenant, body);
    if (body.node().has("scenario") && body.node().get("scenario").isNull()) {
      return ApiResponse.ok(entry(bots.setNoBot(tenant.id(), place, call.principal().id())));
    }
    long scenarioId = body.id("scenario");
    return ApiResponse.ok(entry(bots.setEntry(tenant.id(), place, scenarioId, call.principal().id())));
  }

  /** {@code {"center","queue"?}} or {@code {"channel"}}: the bot no longer greets there (204; 404 if it did not). */
  private ApiResponse deleteEntry(Call call) {
    Tenant tenant = editor(call);
    BotEditor.Place place = place(tenant, call.body());
    if (!bots.deleteEntry(tenant.id(), place)) {
      throw SangdamException.notFound("scenario entry at this place");
    }
    return ApiResponse.noContent();
  }

  /** The place a body names: a center, one of its queues, or a channel; each must be the tenant's (else 422). */
  private BotEditor.Place place(Tenant tenant, Fields body) {
    if (body.has("channel")) {
      if (body.has("center") || body.has("queue")) {
        throw Fields.invalid("channel", "names a place by itself: give either channel, or center and queue");
      }
      String code = body.slug("channel");
      Channel channel = channels.find(tenant.id(), code)
          .orElseThrow(() -> Fields.invalid("channel", "names no channel of tenant '" + tenant.code() + "'"));
      return BotEditor.Place.channel(channel.id(), channel.centerId());
    }
    Center center = directory.center(tenant.id(), body.slug("center"))
        .orElseThrow(() -> Fields.invalid("center", "names no center of tenant '" + tenant.code() + "'"));
    if (!body.has("queue")) {
      return BotEditor.Place.center(center.id());
    }
    Queue queue = directory.queue(center.id(), body.slug("queue"))
        .orElseThrow(() -> Fields.invalid("queue", "names no queue of center '" + center.code() + "'"));
    return BotEditor.Place.queue(center.id(), queue.id());
  }

  private Map<String, Object> entry(BotEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("level", e.level().name().toLowerCase(java.util.Locale.ROOT));
    out.put("center", e.centerId() == null ? null : directory.center(e.centerId()).map(Center::code).orElse(null));
    out.put("queue", e.queueId() == null ? null : directory.queue(e.queueId()).map(Queue::code).orElse(null));
    out.put("channel", e.channelCode());
    if (e.hasBot()) {
      Map<String, Object> scenario = new LinkedHashMap<>();
      scenario.put("id", e.scenarioId());
      scenario.put("name", e.scenarioName());
      scenario.put("version", e.scenarioVersion());
      out.put("scenario", scenario);
    } else {
      out.put("scenario", null); // "no bot here"
    }
    out.put("setAt", e.setAt().toString());
    return out;
  }

  // --- views

  private static Map<String, Object> summary(SavedScenario s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("name", s.name());
    out.put("version", s.currentVersion());
    out.put("createdAt", s.createdAt().toString());
    out.put("updatedAt", s.updatedAt().toString());
    return out;
  }

  private static Map<String, Object> versionSummary(ScenarioVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", v.version());
    out.put("savedBy", v.savedByName());
    out.put("savedAt", v.savedAt().toString());
    return out;
  }

  /** {@code into} with the version's number, who saved it and when, and its JSON ({@code scenario}) as saved. */
  private static Map<String, Object> withVersion(Map<String, Object> into, ScenarioVersion v, Call call) {
    into.putAll(versionSummary(v));
    into.put("scenario", call.json().readObject(v.body()));
    return into;
  }

  static Map<String, Object> problem(ScenarioProblem p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", p.node());
    out.put("field", p.field());
    out.put("message", p.message());
    return out;
  }

  /** The request's JSON as the admin sent it (a byte order mark left out), kept with the version it saves. */
  private static String source(Call call) {
    String text = new String(call.request().body(), StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * The handler, its refusal of a scenario answered as protocol.md's error with {@code problems} added:
   * {@code {"error":{"code":"invalid_field","message":<the first problem>,"problems":[{node,field,message}...]}}}.
   */
  private static Route.Handler refusedWithProblems(Route.Handler handler) {
    return call -> {
      try {
        return handler.handle(call);
      } catch (InvalidScenarioException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", ErrorCode.INVALID_FIELD.wire());
        error.put("message", e.getMessage());
        error.put("problems", e.problems().stream().map(ScenarioEndpoints::problem).toList());
        return new ApiResponse(ErrorCode.INVALID_FIELD.httpStatus(), Map.of("error", error));
      }
    };
  }
}
