package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.bot.faq.FaqEntry;
import io.sangdam.bot.faq.FaqVerdict;
import io.sangdam.bot.scenario.FaqMatcher;
import io.sangdam.bot.scenario.InvalidScenarioException;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BotLibrary} every node reads, cached: per tenant its entries (with each scenario's current version) and
 * its built FAQ matcher, and parsed scenario versions, which never change once saved. A change made on this node
 * drops the tenant's entries and FAQ at once ({@link #changed}); one made on another node arrives through the
 * cluster's changes ({@link #changedElsewhere}) within the bus's delay. Should that message be lost (a node cut off
 * from NATS catches up with {@link #forgetAll}), the tenant's entries and FAQ expire {@link #STALE_AFTER} after they
 * were read, so no node goes on greeting with an old scenario for longer than that.
 */
public final class CachedBotLibrary implements BotLibrary {
  private static final Logger log = LoggerFactory.getLogger(CachedBotLibrary.class);
  /** The longest a tenant's entries and FAQ are used after being read, if no change ever reaches this node. */
  public static final Duration STALE_AFTER = Duration.ofSeconds(60);
  /** Parsed versions kept: a few per scenario of the tenants busy now; any other is read and parsed again. */
  private static final int VERSIONS_KEPT = 2_000;
  private static final int TENANTS_KEPT = 10_000;

  private final BotStore store;
  private final Json json;
  private final Cache<Long, List<BotEntry>> entries;
  private final Cache<Long, Faq> faqs;
  private final Cache<VersionKey, Scenario> versions;

  private record VersionKey(long tenantId, long scenarioId, int version) {}

  /** A tenant's FAQ matcher, as the admins' "try a question" reads it with its scores, and as the engine sees it. */
  private record Faq(io.sangdam.bot.faq.FaqMatcher matcher, FaqMatcher forEngine) {}

  public CachedBotLibrary(BotStore store, Json json, Ticker ticker) {
    this.store = requireNonNull(store, "store");
    this.json = requireNonNull(json, "json");
    this.entries = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(STALE_AFTER).maximumSize(TENANTS_KEPT)
        .build();
    this.faqs = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(STALE_AFTER).maximumSize(TENANTS_KEPT).build();
    this.versions = Caffeine.newBuilder().ticker(ticker).maximumSize(VERSIONS_KEPT).build();
  }

  @Override
  public Optional<Scenario> scenarioFor(long tenantId, long centerId, long queueId, String channel) {
    requireNonNull(channel, "channel");
    return entries.get(tenantId, store::entries).stream()
        .filter(e -> e.fits(centerId, queueId, channel))
        .max(Comparator.comparing(BotEntry::level))
        .filter(BotEntry::hasBot)
        .flatMap(e -> scenario(tenantId, e.scenarioId(), e.scenarioVersion()));
  }

  @Override
  public Optional<Scenario> scenario(long tenantId, long scenarioId, int version) {
    return Optional.ofNullable(versions.get(new VersionKey(tenantId, scenarioId, version), this::read));
  }

  /** The version parsed; null (kept out of the cache, so asked again next time) when there is none to read. */
  private Scenario read(VersionKey key) {
    Optional<ScenarioVersion> saved = store.version(key.tenantId(), key.scenarioId(), key.version());
    if (saved.isEmpty()) {
      return null;
    }
    try {
      return Scenario.parse(json.readObject(saved.get().body()), key.scenarioId(), key.version());
    } catch (InvalidScenarioException e) {
      // Checked when saved; only a later, stricter reader could refuse it. Its conversations go to an agent.
      log.error("scenario {} version {} of tenant {} no longer reads: {}", key.scenarioId(), key.version(),
          key.tenantId(), e.getMessage());
      return null;
    } catch (SangdamException e) {
      log.error("scenario {} version {} of tenant {} is not JSON: {}", key.scenarioId(), key.version(),
          key.tenantId(), e.getMessage());
      return null;
    }
  }

  @Override
  public FaqMatcher faq(long tenantId) {
    return faqOf(tenantId).forEngine();
  }

  /** The tenant's enabled FAQ entries indexed, with the scores the engine does not need: for admins trying it. */
  public io.sangdam.bot.faq.FaqMatcher faqMatcher(long tenantId) {
    return faqOf(tenantId).matcher();
  }

  private Faq faqOf(long tenantId) {
    return faqs.get(tenantId, this::buildFaq);
  }

  private Faq buildFaq(long tenantId) {
    List<FaqEntry> enabled = store.faq(tenantId).stream().filter(FaqItem::enabled)
        .map(f -> new FaqEntry(Long.toString(f.id()), f.question(), f.alternatives(), f.answer())).toList();
    io.sangdam.bot.faq.FaqMatcher matcher = io.sangdam.bot.faq.FaqMatcher.of(enabled);
    return new Faq(matcher, enabled.isEmpty() ? FaqMatcher.NONE : question -> verdict(matcher.match(question)));
  }

  /** The matcher's verdict as the engine reads it: the entries without their scores. */
  static FaqMatcher.Verdict verdict(FaqVerdict verdict) {
    if (verdict instanceof FaqVerdict.Confident confident) {
      return new FaqMatcher.Confident(entry(confident.best()));
    }
    if (verdict instanceof FaqVerdict.Unsure unsure) {
      return new FaqMatcher.Unsure(unsure.candidates().stream().limit(3).map(CachedBotLibrary::entry).toList());
    }
    return new FaqMatcher.Nothing();
  }

  private static FaqMatcher.Entry entry(FaqVerdict.Candidate candidate) {
    FaqEntry e = candidate.entry();
    return new FaqMatcher.Entry(e.id(), e.question(), e.answer());
  }

  /** This node changed the tenant's bot: its entries and FAQ are read again when next asked. */
  public void changed(long tenantId) {
    entries.invalidate(tenantId);
    faqs.invalidate(tenantId);
  }

  /** Another node changed the tenant's bot. */
  public void changedElsewhere(long tenantId) {
    changed(tenantId);
  }

  /** Changes of other nodes may have been missed: every tenant's entries and FAQ are read again when next asked. */
  public void forgetAll() {
    entries.invalidateAll();
    faqs.invalidateAll();
  }
}
