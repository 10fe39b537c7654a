package io.sangdam;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.sangdam.accesslog.AccessChain;
import io.sangdam.accesslog.AccessLogPruning;
import io.sangdam.api.AccessLogEndpoints;
import io.sangdam.api.AlertThresholdEndpoints;
import io.sangdam.api.Api;
import io.sangdam.api.RetentionEndpoints;
import io.sangdam.api.AttachmentEndpoints;
import io.sangdam.api.AuditEndpoints;
import io.sangdam.api.AuthEndpoints;
import io.sangdam.api.CompanySignInEndpoints;
import io.sangdam.api.CompanySignInRoutes;
import io.sangdam.api.PasswordEndpoints;
import io.sangdam.api.SecurityPolicyEndpoints;
import io.sangdam.api.AwayReasonEndpoints;
import io.sangdam.api.BotEndpointEndpoints;
import io.sangdam.api.BotReplyEndpoints;
import io.sangdam.api.CannedEndpoints;
import io.sangdam.api.CategoryEndpoints;
import io.sangdam.api.CallbackEndpoints;
import io.sangdam.api.CenterEndpoints;
import io.sangdam.api.WidgetEndpoints;
import io.sangdam.api.ChannelEndpoints;
import io.sangdam.api.CustomerLinkEndpoints;
import io.sangdam.api.CustomerProfileEndpoints;
import io.sangdam.api.ChannelInboundEndpoints;
import io.sangdam.api.ClusterEndpoints;
import io.sangdam.api.ClusterStatus;
import io.sangdam.api.DashboardEndpoints;
import io.sangdam.api.FaqEndpoints;
import io.sangdam.api.HealthEndpoints;
import io.sangdam.api.LinkProposalEndpoints;
import io.sangdam.api.ManagementAudit;
import io.sangdam.api.MeEndpoints;
import io.sangdam.api.QueueEndpoints;
import io.sangdam.api.RoleEndpoints;
import io.sangdam.api.ScenarioEndpoints;
import io.sangdam.api.SearchEndpoints;
import io.sangdam.api.SingleNode;
import io.sangdam.api.StatsEndpoints;
import io.sangdam.api.TenantEndpoints;
import io.sangdam.api.UserEndpoints;
import io.sangdam.api.WebhookEndpoints;
import io.sangdam.attachment.Attachments;
import io.sangdam.attachment.ContentStore;
import io.sangdam.auth.AdminBootstrap;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.HashingPool;
import io.sangdam.auth.PasswordHasher;
import io.sangdam.auth.Secrets;
import io.sangdam.auth.PasswordChanges;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.auth.SignIn;
import io.sangdam.company.CompanySignIn;
import io.sangdam.company.OidcSignIn;
import io.sangdam.auth.SignInThrottle;
import io.sangdam.auth.Visitors;
import io.sangdam.bot.BotConversations;
import io.sangdam.bot.BotEditor;
import io.sangdam.bot.BotEndpoints;
import io.sangdam.bot.BotLibrary;
import io.sangdam.bot.CachedBotLibrary;
import io.sangdam.bot.ExternalBots;
import io.sangdam.canned.CannedResponses;
import io.sangdam.callback.Callbacks;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.channel.ChannelDelivery;
import io.sangdam.channel.ChannelInbound;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelRatings;
import io.sangdam.channel.Channels;
import io.sangdam.channel.CustomChannelDelivery;
import io.sangdam.channel.CustomerLinks;
import io.sangdam.channel.LinkProposals;
import io.sangdam.channel.OutboundDeliveries;
import io.sangdam.channel.kakao.KakaoDelivery;
import io.sangdam.channel.kakao.KakaoInbound;
import io.sangdam.channel.naver.NaverDelivery;
import io.sangdam.channel.naver.NaverWebhook;
import io.sangdam.channel.sms.SmsDelivery;
import io.sangdam.channel.sms.SmsInbound;
import io.sangdam.changes.LocalChanges;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.Assignments;
import io.sangdam.chat.ChatStore;
import io.sangdam.chat.Closing;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.chat.CenterOwnership;
import io.sangdam.chat.BotTurns;
import io.sangdam.chat.ConversationStart;
import io.sangdam.chat.Handover;
import io.sangdam.chat.Handoffs;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.InProcessConversationEvents;
import io.sangdam.chat.Inactivity;
import io.sangdam.chat.LiveConversations;
import io.sangdam.chat.Requeue;
import io.sangdam.chat.Sending;
import io.sangdam.chat.Transcript;
import io.sangdam.chat.Timeouts;
import io.sangdam.cluster.ClusterChanges;
import io.sangdam.cluster.ClusterProtocol;
import io.sangdam.cluster.JetStreamConversationEvents;
import io.sangdam.cluster.NodeInfo;
import io.sangdam.cluster.SessionSignals;
import io.sangdam.cluster.DataDirectory;
import io.sangdam.cluster.Node;
import io.sangdam.cluster.NodeLease;
import io.sangdam.config.Config;
import io.sangdam.customer.CustomerProfiles;
import io.sangdam.dashboard.AlertThresholds;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.dashboard.DashboardUpdates;
import io.sangdam.dashboard.ThresholdAlarms;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.embedded.EmbeddedMariaDb;
import io.sangdam.metrics.ConversationEventCounts;
import io.sangdam.metrics.LiveMeters;
import io.sangdam.metrics.Metrics;
import io.sangdam.presence.AgentFrames;
import io.sangdam.presence.ChatCalls;
import io.sangdam.webhook.WebhookUrls;
import io.sangdam.presence.CustomerFrames;
import io.sangdam.presence.OtherSide;
import io.sangdam.presence.SessionDelivery;
import io.sangdam.presence.SessionFactory;
import io.sangdam.presence.Sessions;
import io.sangdam.protocol.Json;
import io.sangdam.routing.Routing;
import io.sangdam.retention.Eraser;
import io.sangdam.retention.Retention;
import io.sangdam.retention.RetentionJob;
import io.sangdam.routing.ScheduledTimers;
import io.sangdam.routing.Timers;
import io.sangdam.search.ConversationSearch;
import io.sangdam.search.KeyedItems;
import io.sangdam.search.MessageIndex;
import io.sangdam.search.MessageIndexer;
import io.sangdam.stats.AgentDays;
import io.sangdam.stats.BotStatistics;
import io.sangdam.stats.Statistics;
import io.sangdam.store.CenterFence;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcCompanySignInStore;
import io.sangdam.store.FieldSealing;
import io.sangdam.store.JdbcAgentDayStore;
import io.sangdam.store.JdbcCenterFences;
import io.sangdam.store.JdbcAlertThresholdStore;
import io.sangdam.store.JdbcAttachmentStore;
import io.sangdam.store.JdbcAccessLog;
import io.sangdam.store.JdbcAuditLog;
import io.sangdam.store.JdbcPasswordStore;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcBotEndpointStore;
import io.sangdam.store.JdbcBotStatisticsStore;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcCannedStore;
import io.sangdam.store.JdbcChannelOutbox;
import io.sangdam.store.JdbcChannelStore;
import io.sangdam.store.JdbcCustomerProfileStore;
import io.sangdam.store.JdbcLinkProposalStore;
import io.sangdam.store.JdbcRetentionStore;
import io.sangdam.store.JdbcSmsOptOuts;
import io.sangdam.store.JdbcCallbackStore;
import io.sangdam.store.JdbcChatStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcLeaseStore;
import io.sangdam.store.JdbcRoleStore;
import io.sangdam.store.JdbcMessageFeed;
import io.sangdam.store.JdbcSearchStore;
import io.sangdam.store.JdbcStatisticsStore;
import io.sangdam.store.JdbcWebhookOutbox;
import io.sangdam.store.JdbcWebhookStore;
import io.sangdam.store.AgentStatusWriter;
import io.sangdam.store.JdbcAwayReasonStore;
import io.sangdam.store.JdbcWidgetStore;
import io.sangdam.store.MessageWriter;
import io.sangdam.threads.HotThreads;
import io.sangdam.transport.HttpServer;
import io.sangdam.webhook.ConversationWebhooks;
import io.sangdam.webhook.Webhooks;
import io.sangdam.widget.Widgets;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component with its constructor, starts them in order and
 * stops them in reverse. Nothing else creates services.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Blocking tasks that may wait for a database thread before the server answers "busy". */
  private static final int BLOCKING_QUEUE = 10_000;
  /** Keys the sign-in throttle tracks per kind; at a few hundred bytes each, tens of MB at most. */
  private static final int THROTTLE_KEYS = 100_000;
  /** How long a channel's partner (a KakaoTalk dealer, an SMS gateway) may take to accept a connection, and to answer. */
  private static final Duration PARTNER_CONNECT = Duration.ofSeconds(5);
  private static final Duration PARTNER_ANSWER = Duration.ofSeconds(10);
  /** Rows per transaction of the sealing of stored personal fields: each holds its rows' locks a few milliseconds. */
  private static final int SEALING_BATCH = 200;

  private final Config config;
  private final Clock clock;
  private final Function<ScheduledExecutorService, Timers> timersOn;
  private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean leaseLost = new AtomicBoolean();
  /** Set once started, for {@link #leaseLost()}, which may run on the lease's thread before. */
  private volatile MessageWriter writer;
  private volatile Database database;
  /** Conversations with events still on their way to subscribers, for {@link #eventsDelivered()}. */
  private volatile IntSupplier eventBacklog;
  private int port = -1;
  private Api api;
  private CenterOwnership centers;
  private BotLibrary botLibrary;
  private RetentionJob retentionJob;
  private MessageIndexer messageIndexer;
  private final CompletableFuture<FieldSealing.Outcome> fieldsSealed = new CompletableFuture<>();

  public Server(Config config) {
    this(config, Clock.systemUTC(), ScheduledTimers::new);
  }

  /**
   * A server on the time its caller gives: {@code clock} for every timestamp, and {@code timersOn}, given the
   * server's own scheduler, for the grace periods, idle timeouts and overflows. Tests pass a clock and timers
   * they advance themselves, so they never wait a timeout out.
   */
  public Server(Config config, Clock clock, Function<ScheduledExecutorService, Timers> timersOn) {
    this.config = config;
    this.clock = clock;
    this.timersOn = timersOn;
  }

  public synchronized void start() {
    long started = System.nanoTime();
    Instant startedAt = clock.instant();
    Json json = new Json();
    // The port first: while the database starts and migrates and conversations are restored, it
    // answers 503 (/ready NOT_READY) instead of refusing connections.
    HttpServer http = new HttpServer(json, config.http());
    stopOrder.push(http);
    try {
      port = http.start(config.http().host(), config.http().port());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the HTTP port", e);
    }
    Config.Database dbConfig = config.db();
    // Its lock and node id first: the node's identity in the database's lease.
    DataDirectory dataDirectory = DataDirectory.lock(config.dataDir());
    stopOrder.push(dataDirectory);
    PersonalFieldKeys fieldKeys = PersonalFieldKeys.read(config.crypto().keyFile());
    Database database = connect(config, fieldKeys, stopOrder);
    this.database = database;
    JdbcLeaseStore leaseStore = new JdbcLeaseStore(database);
    Node node = thisNode(dataDirectory.nodeId());
    boolean clustered = config.cluster().clustered();
    NodeLease lease = clustered
        ? NodeLease.sharedByCluster(leaseStore, node, config.cluster().lease(), config.cluster().heartbeat(),
            this::leaseLost)
        : new NodeLease(leaseStore, node, config.cluster().lease(), config.cluster().heartbeat(), this::leaseLost);
    // A second server on a live node's database stops here: before the migrations (read only, so a
    // newer version does not change the schema under the live node), and again, taking the lease,
    // before anything reads or changes a conversation.
    lease.refuseIfHeldByAnother();
    database.migrate();
    // Before anything reads or seals a personal field: keys that cannot open what the database holds stop the start.
    fieldKeys.settle(database, clock);
    stopOrder.push(lease);
    lease.claim();
    // With many nodes each node's /metrics reports what it owns, labelled with its name: Prometheus sums them.
    Metrics metrics = new Metrics(clustered ? List.of(Tag.of("node", nodeName())) : List.of());
    stopOrder.push(metrics);
    // With many nodes: NATS reached, JetStream there, and this node's name its own, or the start is refused.
    ClusterNode cluster = null;
    if (clustered) {
      cluster = ClusterNode.join(config.cluster(), new NodeInfo(nodeName(), node.id(), node.host(), port, node.pid(),
          Main.version(), ClusterProtocol.VERSION, startedAt, config.cluster().centers()), metrics.registry(), clock,
          this::leaseLost);
      stopOrder.push(cluster);
    }

    // The search's text index on this node's disk, its rounds on a thread of their own: a round adds thousands of
    // held messages at once, which on the blocking pool held the sockets' hello, resume and close up behind it.
    // Closed before that thread stops, waiting for the round under way, which an interrupt from the thread's
    // shutdown would stop inside Lucene's files and fail the index. One round waits at most; more are skipped.
    KeyedItems keyedItems = new KeyedItems(fieldKeys.cipher());
    MessageIndexer messageIndexer = new MessageIndexer(new JdbcMessageFeed(database), databaseId ->
        new MessageIndex(config.search().indexDir(), keyedItems, keyedItems.keyProbe(), databaseId), clock);
    this.messageIndexer = messageIndexer;
    ExecutorService indexing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
        named("indexer"));
    stopOrder.push(() -> shutdown(indexing));
    stopOrder.push(messageIndexer);
    ExecutorService blocking = new ThreadPoolExecutor(dbConfig.poolSize(), dbConfig.poolSize(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(BLOCKING_QUEUE), named("blocking"));
    stopOrder.push(() -> shutdown(blocking));
    // The sockets' database work (hello, start, resume, close...) is refused at once during an outage,
    // as REST requests are by the API; sends already are, by the message writer.
    Executor sessionWork = database.whileReachable(blocking);
    // The routing engines' changes of agents' statuses, written in batches off their threads; stopped after
    // the routing pool, so the engines' last changes are written.
    AgentStatusWriter statusWriter = new AgentStatusWriter(database);
    statusWriter.start();
    stopOrder.push(statusWriter);
    ExecutorService routingPool = Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()), HotThreads.named("routing"));
    stopOrder.push(() -> shutdown(routingPool));
    // Delivers conversation events; stopped after the message writer, whose last commits publish some.
    ExecutorService eventThreads = Executors.newFixedThreadPool(2, HotThreads.named("events"));
    ConversationEvents events;
    if (cluster != null) {
      JetStreamConversationEvents bus = cluster.events(json, eventThreads, metrics.registry());
      eventBacklog = bus::backlog;
      events = bus;
    } else {
      InProcessConversationEvents bus = new InProcessConversationEvents(eventThreads);
      // The pool first, so lanes may finish; then whatever it could not deliver is let go.
      stopOrder.push(bus);
      eventBacklog = bus::backlog;
      events = bus;
    }
    stopOrder.push(() -> shutdown(eventThreads));

    SecureRandom random = new SecureRandom();
    PasswordHasher passwords = new PasswordHasher(random, config.auth().passwordIterations());
    Secrets secrets = new Secrets(random);
    // Where management changes are announced: a single node has no other caches to tell.
    ClusterChanges clusterChanges = cluster == null ? null : cluster.changes(metrics.registry());
    Changes changes = clusterChanges != null ? clusterChanges : new LocalChanges();
    Directory directory = new Directory(new JdbcDirectoryStore(database, clock, json), changes);
    directory.load();
    // What the bot says where (scenarios, their entries, the FAQ): read by the conversations it greets, changed
    // by the admins' REST through botEditor; other nodes' changes arrive through RemoteChanges.
    JdbcBotStore botStore = new JdbcBotStore(database, clock, json);
    CachedBotLibrary botLibrary = new CachedBotLibrary(botStore, json, Ticker.systemTicker());
    this.botLibrary = botLibrary;
    BotEditor botEditor = new BotEditor(botStore, botLibrary, directory, changes);
    JdbcAuthStore authStore = new JdbcAuthStore(database);
    JdbcAuditLog audit = new JdbcAuditLog(database, clock);
    JdbcPasswordStore passwordStore = new JdbcPasswordStore(database);
    SecurityPolicies policies = new SecurityPolicies(passwordStore, audit, clock, Ticker.systemTicker());
    Authenticator authenticator = new Authenticator(authStore, directory, secrets, clock, Ticker.systemTicker(),
        config.auth().tokenTtl(), policies);
    Optional<String> generatedAdminPassword = new AdminBootstrap(directory, passwords, secrets, passwordStore,
        Main.launcher() + " reset-password admin").ensureAdmin(config.auth().initialAdminPassword());

    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, HotThreads.named("timers"));
    // Hot: every grace period, idle timeout and periodic task waits on this one thread.
    // A stop drops the timers still pending (grace periods, idle closes, delayed sign-in answers) instead of
    // waiting up to 5 s for them: the port and the writer are closed by then, and recover() starts every
    // grace period again on the next start.
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    // Every agent's message starts a conversation's idle clock and cancels the one before; a cancelled timer left
    // in the queue until its due time (10 minutes by default) would hold a million of them at 2,000 messages a
    // second, each an old-generation object G1 scans and copies again. Removed at once instead (in log n).
    scheduler.setRemoveOnCancelPolicy(true);
    Gauge.builder("sangdam.timers.pending", scheduler, s -> s.getQueue().size())
        .description("timers waiting on the server's timer thread: grace periods, idle clocks, periodic tasks")
        .register(metrics.registry());
    stopOrder.push(() -> shutdown(scheduler));
    // PBKDF2 on threads of its own with a short queue: a login flood is refused (503) instead of
    // taking the database threads that /health, hello and chat need.
    Config.Auth auth = config.auth();
    ExecutorService hashingThreads = new ThreadPoolExecutor(auth.hashingThreads(), auth.hashingThreads(), 60,
        TimeUnit.SECONDS, new ArrayBlockingQueue<>(auth.hashingQueue()), named("hashing"));
    stopOrder.push(() -> shutdown(hashingThreads));
    HashingPool hashing = new HashingPool(passwords, hashingThreads);
    Config.Throttle limits = auth.throttle();
    // One throttle for sign-ins and for the current password a user's own change must give.
    SignInThrottle throttle = new SignInThrottle(new SignInThrottle.Limits(limits.window(), limits.addressFailures(),
        limits.accountAddressFailures(), limits.accountFailures(), limits.maxDelay()), Ticker.systemTicker(),
        THROTTLE_KEYS);
    PasswordChanges passwordChanges = new PasswordChanges(passwordStore, policies, directory, hashing, throttle,
        secrets, clock, blocking);
    // Staff of a tenant (or HQ) with a company directory sign in through it, unless their account is local.
    JdbcCompanySignInStore companySignInStore = new JdbcCompanySignInStore(database);
    CompanySignIn companySignIn = new CompanySignIn(companySignInStore, directory, authenticator, audit,
        json.mapper(), clock, Ticker.systemTicker());
    SignIn signIn = new SignIn(authenticator, hashing, throttle, blocking, scheduler, passwordChanges::mustChange,
        companySignIn);
    // Changes made elsewhere (another process on this database) reach the directory's snapshot.
    long refresh = Directory.REFRESH.toMillis();
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, directory::refresh), refresh, refresh,
        TimeUnit.MILLISECONDS);
    Timers timers = timersOn.apply(scheduler);
    Config.Timeouts defaults = config.timeouts();
    Routing routing = new Routing(directory::queue, centerId -> seconds(directory, centerId,
        CenterSettings::agentGraceSeconds, defaults.agentGrace()), routingPool, clock, timers, statusWriter);
    database.instrument(metrics.registry());
    // Alone on the database, the node owns every center: the database's lease fences all its writes. With many
    // nodes, each write of a center's decisions also checks that this node still holds the center's lease.
    CenterFence centerFence = cluster == null ? CenterFence.NONE
        : cluster.centerFence(new JdbcCenterFences(database), directory, clock);
    MessageWriter writer = new MessageWriter(database, config.writer().maxBatch(), metrics.registry(),
        leaseStore.fence(lease.token(), this::leaseLost), centerFence);
    this.writer = writer;
    Webhooks webhooks = new Webhooks(new JdbcWebhookStore(database, clock),
        new JdbcWebhookOutbox(database, nodeName()), tenantId -> directory.tenant(tenantId).map(Tenant::code)
        .orElse(null), json, clock, config.webhooksAllowLoopback(), changes);
    stopOrder.push(webhooks);
    ChatStore chatStore = new JdbcChatStore(database, centerFence);
    LiveConversations live = new LiveConversations();
    ConversationLookup lookup = new ConversationLookup(live, chatStore, sessionWork);
    Transcript transcript = new Transcript(live, writer, events, clock);
    Closing closing = new Closing(live, chatStore, writer, routing, events, lookup, sessionWork, clock);
    Inactivity inactivity = new Inactivity(live, transcript, closing, events, centerId -> new Timeouts(
        seconds(directory, centerId, CenterSettings::customerGraceSeconds, defaults.customerGrace()),
        seconds(directory, centerId, CenterSettings::idleWarningSeconds, defaults.idleWarning()),
        seconds(directory, centerId, CenterSettings::idleCloseSeconds, defaults.idleClose())), timers, sessionWork);
    Sending sending = new Sending(transcript, inactivity, chatStore, lookup, sessionWork, clock);
    Handoffs handoffs = cluster == null ? Handoffs.ALONE : cluster.handoffs(scheduler);
    Requeue requeue = new Requeue(live, chatStore, routing, transcript, inactivity, events, lookup, handoffs,
        sessionWork, clock);
    Assignments assignments = new Assignments(live, chatStore, routing, requeue, inactivity, events, directory::queue,
        sessionWork, clock);
    Handover handover = new Handover(live, chatStore, routing, requeue, transcript, inactivity, events, lookup,
        sessionWork, clock);
    ConversationStart starting = new ConversationStart(live, chatStore, transcript, routing, events, sessionWork,
        clock);
    ConversationRecords records = new ConversationRecords(live, chatStore, lookup, events, sessionWork, clock);
    // Conversations whose entry has a scenario open with their bot; its turns run where their messages are stored.
    // A scenario's externalBot nodes POST the customer's messages to the tenant's own bots (webhooks' URL rules).
    BotEndpoints botEndpoints = new BotEndpoints(new JdbcBotEndpointStore(database),
        WebhookUrls.system(config.webhooksAllowLoopback()), random, clock);
    // Every read of personal data by staff, chained under a key kept outside the database (made at the first start).
    JdbcAccessLog accessLog = new JdbcAccessLog(database,
        AccessChain.fromKeyFile(config.accessLog().keyFile(), true), clock);
    accessLog.claimKey();
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, new AccessLogPruning(accessLog, audit,
        config.accessLog().keepDays(), clock)), 1, 24 * 60, TimeUnit.MINUTES);
    // Callback requests, left at the widget or with the bot; the agents serving the queue hear of each change.
    CallbackNews callbackNews = new CallbackNews(changes);
    Callbacks callbacks = new Callbacks(new JdbcCallbackStore(database), audit, accessLog, callbackNews,
        clock);
    BotConversations bots = new BotConversations(botLibrary, new BotTurns(live, chatStore, transcript, requeue,
        closing, records, sessionWork, clock), directory, botEndpoints, new ExternalBots(
        WebhookUrls.system(config.webhooksAllowLoopback()), metrics.registry(), sessionWork, clock), callbacks,
        timers, sessionWork, clock);
    starting.meetBots(bots);
    ChatCalls chatHere = ChatCalls.local(starting, sending, closing, assignments, records, handover, bots::reply);
    int perIdentity = config.limits().wsConnectionsPerIdentity();
    Sessions sessions = cluster == null ? new Sessions(directory, routing, perIdentity)
        : cluster.sessions(directory, routing, live, chatHere, starting, perIdentity, inactivity,
            metrics.registry());
    ChatCalls chat = cluster == null ? chatHere : cluster.calls();
    callbackNews.meet(sessions);
    CenterOwnership centers = new CenterOwnership(live, chatStore, transcript, routing, assignments, inactivity,
        sessions::announceAgents, sessionWork);
    this.centers = centers;
    centers.meetBots(bots);
    // Each event goes to the subscribers in this order: counted first (a client that saw an event finds it
    // counted), then this node's sessions, then the clocks it stops, the webhooks and the live dashboard.
    events.subscribe(new ConversationEventCounts(metrics.registry(), eventBacklog));
    SessionDelivery delivery = new SessionDelivery(sessions);
    events.subscribe(delivery);
    events.subscribe(inactivity);
    events.subscribe(bots);
    events.subscribe(new ConversationWebhooks(webhooks, directory));
    Config.Attachments files = config.attachments();
    ContentStore attachmentFiles = new ContentStore(config.dataDir().resolve("attachments"));
    Attachments attachments = new Attachments(new JdbcAttachmentStore(database), attachmentFiles, live, lookup,
        chat.sendFile(), directory, files.maxBytes(), files.allowedTypes(), previewSlots(), accessLog, clock);
    JdbcChannelStore channelStore = new JdbcChannelStore(database, json);
    // Each kind of channel's partner: what delivers the items its conversations owe.
    CustomChannelDelivery customChannels = new CustomChannelDelivery(
        WebhookUrls.system(config.webhooksAllowLoopback()), json, clock);
    stopOrder.push(customChannels);
    HttpClient partners = HttpClient.newBuilder().connectTimeout(PARTNER_CONNECT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    Map<ChannelKind, ChannelDelivery> channelDeliveries = Map.of(ChannelKind.CUSTOM, customChannels,
        ChannelKind.KAKAO, new KakaoDelivery(partners, json, attachments::content, blocking, PARTNER_ANSWER),
        ChannelKind.NAVER_TALKTALK, new NaverDelivery(WebhookUrls.system(config.webhooksAllowLoopback()), json,
            blocking),
        ChannelKind.SMS, new SmsDelivery(partners, new JdbcSmsOptOuts(database, clock), blocking, PARTNER_ANSWER));
    // A channel customer's rating goes the widget's way: any node stores it, as ForwardedCalls says.
    ChannelRatings channelRatings = new ChannelRatings(channelStore, chatStore, chat.rate(), clock);
    OutboundDeliveries channelOutbound = new OutboundDeliveries(new JdbcChannelOutbox(database, nodeName()),
        channelStore, channelDeliveries, channelRatings, chatStore, events,
        tenantId -> directory.tenant(tenantId).map(Tenant::code).orElse(null), metrics.registry(),
        config.channelOutboundRetry(), config.channelOutboundClaim(), clock, timers);
    stopOrder.push(channelOutbound);
    // This node's commits of what channel conversations owe: delivered at once, not at the next poll.
    events.subscribe(channelOutbound);
    // What a center's previous owner committed just before it died or stopped, unwoken: delivered at once too.
    centers.meetTakeUps(channelOutbound::centerTakenUp);
    JdbcStatisticsStore statisticsStore = new JdbcStatisticsStore(database);
    // Waits kept one by one before V055, or by a node of the version before during a rolling upgrade: counted into
    // the hourly buckets the reports read, before any report is asked for.
    long earlierWaits = statisticsStore.countEarlierWaits();
    if (earlierWaits > 0) {
      log.info("counted {} earlier waits into the statistics' hourly buckets", earlierWaits);
    }
    AlertThresholds alertThresholds = new AlertThresholds(new JdbcAlertThresholdStore(database));
    Dashboard dashboard = new Dashboard(directory, cluster == null ? routing::load
        : cluster.loads(routing, metrics.registry()), statisticsStore, alertThresholds, clock);
    // The queue.threshold webhook event: each node checks the centers it routes, so each center once.
    ThresholdAlarms thresholdAlarms = new ThresholdAlarms(directory, routing::centers, routing::load, alertThresholds,
        webhooks::publish, clock);
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, thresholdAlarms::check), 2, 2, TimeUnit.SECONDS);
    // Retention: every node ticks the job; the run's key in the database lets one node run each slot.
    JdbcRetentionStore retentionStore = new JdbcRetentionStore(database);
    Eraser eraser = new Eraser(retentionStore, attachmentFiles, config.retention().batchSize());
    Retention retention = new Retention(retentionStore, eraser, audit, clock, config.retention().minimumDays());
    RetentionJob retentionJob = new RetentionJob(retentionStore, eraser, audit, clock, nodeName(),
        config.retention().every());
    this.retentionJob = retentionJob;
    long retentionMinutes = config.retention().every().toMinutes();
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, retentionJob::tick), retentionMinutes, retentionMinutes,
        TimeUnit.MINUTES);
    long indexEvery = config.search().indexEvery().toMillis();
    scheduler.scheduleWithFixedDelay(() -> runQuietly(indexing, messageIndexer::tick), 0, indexEvery,
        TimeUnit.MILLISECONDS);
    DashboardFeed dashboardFeed = new DashboardFeed(dashboard, System::nanoTime);
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, dashboardFeed::tick), 1, 1, TimeUnit.SECONDS);
    DashboardUpdates dashboardUpdates = new DashboardUpdates(dashboardFeed::tick, blocking);
    events.subscribe(dashboardUpdates);
    OtherSide otherSide = sessions;
    LongConsumer customerConnected = inactivity::customerConnected;
    LongConsumer customerDisconnected = inactivity::customerDisconnected;
    if (cluster != null) {
      // Other nodes' events: after the copies of their conversations are current, to this node's sessions
      // and dashboards (never to the webhooks, clocks or counters: those are the owner's).
      JetStreamConversationEvents bus = (JetStreamConversationEvents) events;
      bus.subscribeRemote(delivery);
      bus.subscribeRemote(dashboardUpdates);
      SessionSignals signals = cluster.signals(sessions, inactivity, metrics.registry());
      otherSide = signals;
      customerConnected = signals::customerConnected;
      customerDisconnected = signals::customerDisconnected;
    }
    if (cluster != null) {
      // The centers are given up after the writer's last commits and before the routing pool stops: releasing
      // a center stops its routing engine on that pool (left to the cluster's own close, it found the pool gone).
      stopOrder.push(cluster::releaseCenters);
    }
    writer.start();
    stopOrder.push(writer);
    if (cluster != null) {
      try {
        cluster.listen();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot join the cluster's event stream: " + e.getMessage(), e);
      }
      centers.join();
    } else {
      centers.recover();
    }
    channelOutbound.start();
    ready.set(true);

    CannedResponses canned = new CannedResponses(new JdbcCannedStore(database, clock));
    if (config.demo()) {
      new DemoTenant(directory, passwords, canned, botEditor, json).ensure();
    }
    Visitors visitors = new Visitors(authStore, secrets, clock);
    AwayReasons awayReasons = new AwayReasons(new JdbcAwayReasonStore(database), blocking);
    AgentFrames agentFrames = new AgentFrames(directory, awayReasons, authenticator, policies::requireAddress,
        canned, audit, accessLog,
        dashboard, dashboardFeed,
        live, lookup, chat, records, sessions, otherSide, sessionWork, System::nanoTime);
    Widgets widgets = new Widgets(new JdbcWidgetStore(database), clock);
    CustomerFrames customerFrames = new CustomerFrames(directory, visitors, live, chat, customerConnected,
        customerDisconnected, records, callbacks, sessions, otherSide, widgets, clock, sessionWork, System::nanoTime);
    SessionFactory sessionFactory = new SessionFactory(json, sessions, agentFrames, customerFrames, clock,
        config.limits().wsMessagesPerSecond(), config.limits().wsBurst(), config.limits().wsOutboundBytes(),
        System::nanoTime);
    Channels channels = new Channels(channelStore, WebhookUrls.system(config.webhooksAllowLoopback()), random, clock);
    ChannelInbound channelInbound = new ChannelInbound(channelStore, directory, chat.start(),
        chat.send(), chat.leave(), channelRatings, secrets, json, metrics.registry(), sessionWork, clock);
    SmsInbound smsInbound = new SmsInbound(channelInbound, new JdbcSmsOptOuts(database, clock), json);
    Api.Health health = new Api.Health() {
      @Override
      public boolean live() {
        return database.isReachable();
      }

      @Override
      public boolean ready() {
        return ready.get() && database.isReachable();
      }

      @Override
      public String metrics() {
        return metrics.scrape();
      }
    };
    JdbcRoleStore roleStore = new JdbcRoleStore(database);
    Api.UserSessions userSessions = new Api.UserSessions() {
      @Override
      public void signOut(long userId) {
        authenticator.revokeAll(userId);
        sessions.signOut(userId, "signed out by an administrator");
        changes.changed(new Change.SignedOut(userId));
      }

      @Override
      public void changed(User user) {
        authenticator.refresh(user);
        sessions.userChanged(user);
        changes.changed(new Change.UserChanged(user.id()));
      }

      @Override
      public void loggedOut(long userId, String token) {
        sessions.loggedOut(userId, token);
        changes.changed(new Change.LoggedOut(userId, Authenticator.tokenKey(token)));
      }
    };
    // The groups' routes, in this order, are the route table the API reference and the access tests check.
    ConversationSearch conversationSearch = new ConversationSearch(new JdbcSearchStore(database), messageIndexer,
        directory, audit, accessLog);
    api = new Api(json, authenticator, policies, visitors, new ManagementAudit(audit, directory, json), health, blocking,
        config.http().maxRequestBytes(), files.maxBytes(), List.of(
            new HealthEndpoints(health),
            new AuthEndpoints(authenticator, signIn, directory, audit, userSessions, policies),
            new PasswordEndpoints(passwordChanges, policies, authenticator, audit, userSessions),
            new SecurityPolicyEndpoints(directory, policies, audit, json),
            new CompanySignInRoutes(new OidcSignIn(companySignIn, companySignInStore, authenticator, audit, clock,
                Ticker.systemTicker())),
            new CompanySignInEndpoints(directory, companySignIn, audit),
            new TenantEndpoints(directory, visitors, userSessions::signOut),
            new QueueEndpoints(directory),
            new UserEndpoints(directory, hashing, userSessions, roleStore, passwordChanges),
            new RoleEndpoints(directory, roleStore, audit, userSessions, clock),
            new CenterEndpoints(directory, records),
            new CallbackEndpoints(directory, callbacks, audit),
            new CategoryEndpoints(directory),
            new AwayReasonEndpoints(directory, awayReasons),
            new CannedEndpoints(directory, canned),
            new AttachmentEndpoints(attachments),
            new StatsEndpoints(directory, new Statistics(statisticsStore),
                new BotStatistics(new JdbcBotStatisticsStore(database)), audit, channels, awayReasons, clock),
            new SearchEndpoints(directory, conversationSearch, channels),
            new WidgetEndpoints(directory, widgets, conversationSearch),
            new AuditEndpoints(directory, audit),
            new AccessLogEndpoints(directory, accessLog, config.accessLog().bulkExportSubjects()),
            new WebhookEndpoints(directory, webhooks),
            new ChannelEndpoints(directory, channels),
            new CustomerLinkEndpoints(directory, new CustomerLinks(channelStore)),
            new CustomerProfileEndpoints(new CustomerProfiles(new JdbcCustomerProfileStore(database), lookup, audit,
                accessLog)),
            new MeEndpoints(directory, new AgentDays(new JdbcAgentDayStore(database), clock)),
            new LinkProposalEndpoints(directory, new LinkProposals(new JdbcLinkProposalStore(database), channelStore,
                lookup, audit, accessLog, clock)),
            new ScenarioEndpoints(directory, botEditor, channels),
            new FaqEndpoints(directory, botEditor, botLibrary),
            new BotEndpointEndpoints(directory, botEndpoints),
            new BotReplyEndpoints(botEndpoints, chat.botReply()),
            new ChannelInboundEndpoints(channelInbound, new KakaoInbound(channelInbound, json), smsInbound,
                new NaverWebhook(channelInbound, channelStore, secrets, json, clock)),
            new DashboardEndpoints(dashboard),
            new AlertThresholdEndpoints(directory, alertThresholds),
            new RetentionEndpoints(directory, retention),
            new ClusterEndpoints(cluster != null ? cluster.status(directory)
                : new SingleNode(new ClusterStatus.Member(node.name().orElse(node.host()), Main.version(),
                    ClusterProtocol.VERSION, node.host(), port, startedAt, Duration.ZERO, List.of(), List.of()), directory))));
    LiveMeters liveMeters = new LiveMeters(metrics.registry(), sessions, routing, directory, http::openConnections);
    scheduler.scheduleWithFixedDelay(() -> runQuietly(blocking, liveMeters::refreshWaiting), 5, 5, TimeUnit.SECONDS);
    if (cluster != null) {
      RemoteChanges remoteChanges = new RemoteChanges(directory, authenticator, webhooks, sessions,
          botLibrary);
      clusterChanges.receive(remoteChanges, remoteChanges::catchUp);
      cluster.start(centers, sessions, scheduler);
    }
    http.serve(api, sessionFactory);
    sealStoredFields(database);
    // Again on top: a stop closes the port before anything else (the first push closes it if the start fails).
    stopOrder.push(http);
    log.info("Sangdam started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (config.demo()) {
      DemoTenant.printUrls(port, generatedAdminPassword, Main.launcher());
    }
  }

  /**
   * The configured database (the embedded one started first when no URL is set), migrated to the
   * latest schema. What must be stopped is pushed on {@code stopOrder}, the database last.
   */
  static Database openDatabase(Config config, Deque<AutoCloseable> stopOrder) {
    PersonalFieldKeys fieldKeys = PersonalFieldKeys.read(config.crypto().keyFile());
    Database database = connect(config, fieldKeys, stopOrder);
    database.migrate();
    fieldKeys.settle(database, Clock.systemUTC());
    return database;
  }

  /**
   * The configured database (the embedded one started first when no URL is set), not yet migrated, sealing personal
   * fields with {@code fieldKeys} (not yet checked against what it holds: {@link PersonalFieldKeys#settle}).
   */
  static Database connect(Config config, PersonalFieldKeys fieldKeys, Deque<AutoCloseable> stopOrder) {
    Config.Database dbConfig = config.db();
    String url = dbConfig.url();
    String user = dbConfig.user();
    String password = dbConfig.password();
    if (dbConfig.embedded()) {
      EmbeddedMariaDb embedded = EmbeddedMariaDb.start(config.dataDir().resolve("mariadb"));
      stopOrder.push(embedded);
      url = embedded.createDatabase("sangdam");
      user = "root";
      password = "";
    }
    Database database = new Database(url, user, password, dbConfig.poolSize(), dbConfig.queryTimeout(),
        fieldKeys.cipher());
    stopOrder.push(database);
    return database;
  }

  /**
   * Another node took the database's lease (found by the heartbeat, or by the message writer's
   * fence): no message is written from now on, and the server stops without flushing its writer,
   * whose queued messages are answered {@code unavailable}.
   */
  private void leaseLost() {
    if (!leaseLost.compareAndSet(false, true)) {
      return;
    }
    MessageWriter fenced = writer;
    if (fenced != null) {
      fenced.fence();
    }
    new Thread(() -> {
      if (fenced != null) {
        fenced.close(); // its refusals are sent before the port closes the sockets they go to
      }
      close();
    }, "lease-lost").start();
  }

  private Node thisNode(String nodeId) {
    return new Node(config.cluster().nodeName(), nodeId, hostName(), port, ProcessHandle.current().pid(),
        config.dataDir().toAbsolutePath().normalize().toString());
  }

  /** What this node is called among the nodes: {@code cluster.nodeName}, or else the host name. */
  private String nodeName() {
    return config.cluster().nodeName().orElseGet(Server::hostName);
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
  }

  /** A center's own setting, or the configured default. */
  private static Duration seconds(Directory directory, long centerId, Function<CenterSettings, Integer> setting,
      Duration fallback) {
    return directory.center(centerId).map(c -> setting.apply(c.settings())).map(s -> Duration.ofSeconds(s))
        .orElse(fallback);
  }

  /**
   * How many image previews are decoded at once: half the cores, at least one. Decoding is CPU
   * work that an anonymous customer can start, so it never takes every core from chat; an upload
   * that finds every slot taken is stored without a preview.
   */
  private static int previewSlots() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** The REST API, once started: its route table is what the API reference and the access tests are checked against. */
  public Api api() {
    return api;
  }

  /** What the bot says where, once started, as every conversation it greets reads it. */
  public BotLibrary botLibrary() {
    return botLibrary;
  }

  /** The retention job, once started: tests run it at the time they set instead of waiting for its tick. */
  public RetentionJob retentionJob() {
    return retentionJob;
  }

  /** The search's text index of this node. */
  public MessageIndexer messageIndexer() {
    return messageIndexer;
  }

  /** The centers this node holds live and routes, once started: taken up and given up one at a time with many nodes. */
  public CenterOwnership centers() {
    return centers;
  }

  /**
   * Database connections asked for on hot threads since start, each with the stack that asked;
   * recorded only in test runs ({@code -Dsangdam.hotThreadGuard=true}), so the tests can fail on them.
   */
  public List<String> hotThreadJdbc() {
    Database started = database;
    return started == null ? List.of() : started.hotThreadJdbc();
  }

  /**
   * Whether every conversation event published so far has reached its subscribers (the sessions'
   * outbound included): a test that proves something was not pushed waits for this first.
   */
  public boolean eventsDelivered() {
    IntSupplier backlog = eventBacklog;
    return backlog == null || backlog.getAsInt() == 0;
  }

  /**
   * Seals, on a thread of its own and in small batches while the server serves, the personal fields stored before
   * they were sealed (the first start after the upgrade finds them; later starts find none, at the cost of one scan).
   */
  private void sealStoredFields(Database database) {
    ExecutorService sealing = Executors.newSingleThreadExecutor(named("field-sealing"));
    stopOrder.push(sealing::shutdownNow);
    CompletableFuture.supplyAsync(() -> new FieldSealing(database, SEALING_BATCH).sealPlain(), sealing)
        .whenComplete((done, failed) -> {
          if (failed != null) {
            log.warn("sealing the personal fields stored before encryption stopped: {} (the next start goes on)",
                failed.getMessage());
            fieldsSealed.completeExceptionally(failed);
          } else {
            fieldsSealed.complete(done);
          }
        });
  }

  /** Completes when the start's sealing of the personal fields stored before encryption is done. */
  public CompletableFuture<FieldSealing.Outcome> fieldsSealed() {
    return fieldsSealed;
  }

  /** The bound HTTP port; -1 before {@link #start()}. */
  public int port() {
    return port;
  }

  /**
   * Stops in reverse order of start: the port first (clients told 1001), then the message writer
   * flushes what it accepted, then executors, the pool and the embedded database.
   */
  @Override
  public synchronized void close() {
    ready.set(false);
    while (!stopOrder.isEmpty()) {
      AutoCloseable c = stopOrder.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.getMessage());
      }
    }
    log.info("Sangdam stopped");
  }

  /** Hands periodic work to {@code executor}; a full executor skips this round rather than fail the schedule. */
  private static void runQuietly(ExecutorService executor, Runnable work) {
    try {
      executor.execute(work);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("skipped a round of {}: the executor is busy", work);
    }
  }

  private static void shutdown(ExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
