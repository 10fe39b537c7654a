package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.bot.BotEditor;
import io.sangdam.bot.CachedBotLibrary;
import io.sangdam.bot.FaqItem;
import io.sangdam.bot.faq.FaqVerdict;
import io.sangdam.bot.scenario.ScenarioEngine;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's FAQ, which the bot matches customers' free text against: tenant admins and HQ keep it, a center's
 * managers read it and try questions on it. Limits (422 naming the field): question {@value FaqItem#MAX_QUESTION}
 * characters, answer {@value FaqItem#MAX_ANSWER}, {@value FaqItem#MAX_ALTERNATIVES} alternative phrasings of
 * {@value FaqItem#MAX_ALTERNATIVE}, {@value FaqItem#MAX_PER_TENANT} entries a tenant.
 */
public final class FaqEndpoints implements Endpoints {
  private static final String FAQ = "/api/tenants/{tenant}/faq";
  /** Read generously, then checked by the editor, so a too long value is named with its limit. */
  private static final int READ_LIMIT = 100_000;

  private final Directory directory;
  private final BotEditor bots;
  private final CachedBotLibrary library;

  public FaqEndpoints(Directory directory, BotEditor bots, CachedBotLibrary library) {
    this.directory = directory;
    this.bots = bots;
    this.library = library;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", FAQ, true, this::list),
        new Route("POST", FAQ, true, this::create),
        new Route("POST", FAQ + "/try", true, this::tryQuestion),
        new Route("GET", FAQ + "/{id}", true, this::read),
        new Route("PUT", FAQ + "/{id}", true, this::update),
        new Route("DELETE", FAQ + "/{id}", true, this::delete));
  }

  private Tenant reader(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.tenant(directory, call);
  }

  private Tenant editor(Call call) {
    Access.require(call.principal(), Permission.MANAGE_SETTINGS);
    return Scope.tenant(directory, call);
  }

  private FaqItem item(Call call, Tenant tenant) {
    long id = Scope.id(call, "id", "FAQ entry");
    return bots.faqItem(tenant.id(), id).orElseThrow(() -> SangdamException.notFound("FAQ entry " + id));
  }

  private ApiResponse list(Call call) {
    Tenant tenant = reader(call);
    return ApiResponse.ok(Paging.page(call, bots.faq(tenant.id()).stream().map(FaqEndpoints::view).toList()));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(item(call, reader(call))));
  }

  /** {@code {"question","answer","alternatives"?:[...],"enabled"?}} -> 201. */
  private ApiResponse create(Call call) {
    Tenant tenant = editor(call);
    Fields body = call.body();
    return ApiResponse.created(view(bots.addFaq(tenant.id(), body.string("question", READ_LIMIT),
        alternatives(body).orElse(List.of()), body.string("answer", READ_LIMIT), body.optBool("enabled")
            .orElse(true))));
  }

  /** {@code {"question"?,"answer"?,"alternatives"?,"enabled"?}}: only what is given changes. */
  private ApiResponse update(Call call) {
    Tenant tenant = editor(call);
    FaqItem item = item(call, tenant);
    Fields body = call.body();
    return ApiResponse.ok(view(bots.updateFaq(tenant.id(), item.id(),
        body.optString("question", READ_LIMIT).orElse(item.question()),
        alternatives(body).orElse(item.alternatives()),
        body.optString("answer", READ_LIMIT).orElse(item.answer()),
        body.optBool("enabled").orElse(item.enabled()))
        .orElseThrow(() -> SangdamException.notFound("FAQ entry " + item.id()))));
  }

  private ApiResponse delete(Call call) {
    Tenant tenant = editor(call);
    FaqItem item = item(call, tenant);
    if (!bots.deleteFaq(tenant.id(), item.id())) {
      throw SangdamException.notFound("FAQ entry " + item.id());
    }
    return ApiResponse.noContent();
  }

  /**
   * {@code {"text"}} -> what the bot would make of a customer writing it, with the scores: {@code verdict}
   * {@code confident} (the one answer), {@code unsure} (up to three offered as buttons) or {@code nothing} (the
   * scenario's fallback), and the entries considered, best first. Enabled entries only, as the bot sees them.
   */
  private ApiResponse tryQuestion(Call call) {
    Tenant tenant = reader(call);
    String text = call.body().string("text", ScenarioEngine.MAX_QUESTION);
    if (text.isBlank()) {
      throw Fields.invalid("text", "must not be blank");
    }
    FaqVerdict verdict = library.faqMatcher(tenant.id()).match(text);
    List<FaqVerdict.Candidate> candidates = new ArrayList<>();
    String name;
    if (verdict instanceof FaqVerdict.Confident confident) {
      name = "confident";
      candidates.add(confident.best());
    } else if (verdict instanceof FaqVerdict.Unsure unsure) {
      name = "unsure";
      candidates.addAll(unsure.candidates());
    } else {
      name = "nothing";
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("verdict", name);
    out.put("candidates", candidates.stream().map(c -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", Long.parseLong(c.entry().id()));
      one.put("question", c.entry().question());
      one.put("answer", c.entry().answer());
      one.put("score", Math.round(c.score() * 1000) / 1000.0);
      return one;
    }).toList());
    return ApiResponse.ok(out);
  }

  /** The {@code alternatives} given: an array of strings (lengths are the editor's to check), or absent. */
  static Optional<List<String>> alternatives(Fields body) {
    if (!body.has("alternatives")) {
      return Optional.empty();
    }
    JsonNode list = body.node().get("alternatives");
    if (!list.isArray()) {
      throw Fields.invalid("alternatives", "must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        throw Fields.invalid("alternatives[" + i + "]", "must be a string");
      }
      out.add(list.get(i).textValue().strip());
    }
    return Optional.of(out);
  }

  static Map<String, Object> view(FaqItem f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", f.id());
    out.put("question", f.question());
    out.put("alternatives", f.alternatives());
    out.put("answer", f.answer());
    out.put("enabled", f.enabled());
    out.put("createdAt", f.createdAt().toString());
    out.put("updatedAt", f.updatedAt().toString());
    return out;
  }
}
