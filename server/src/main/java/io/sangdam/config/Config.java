package io.sangdam.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration of one server, immutable. Built only by {@link ConfigLoader}. {@code
 * channelOutboundRetry}: how long after its commit an item owed to a channel is retried before it is given up;
 * {@code channelOutboundClaim}: how long a node's claim on a channel conversation lasts from its last renewal
 * (how long the other nodes wait before they take over the conversations of a node that died).
 */
public record Config(Http http, Database db, Path dataDir, Auth auth, Limits limits, Writer writer, Timeouts timeouts,
    Attachments attachments, boolean demo, boolean webhooksAllowLoopback, Duration channelOutboundRetry,
    Duration channelOutboundClaim, Cluster cluster, Retention retention, AccessLog accessLog, Crypto crypto,
    Search search) {

  /**
   * The one HTTP and WebSocket port. A connection that sends nothing for {@code idleSeconds} is
   * closed if it is plain HTTP, or pinged if it is a WebSocket and closed if still silent after as long again.
   */
  public record Http(String host, int port, int maxRequestBytes, int idleSeconds, Tls tls, Connections connections,
      TrustedProxies trustedProxies) {}

  /**
   * What one client may hold of the port: at most {@code max} connections open in all and
   * {@code maxPerAddress} from one address (an IPv6 /64), more are answered 503; a request's head
   * must be in within {@code requestHead}, a WebSocket's {@code hello} answered within {@code hello}.
   * Request bodies read and not yet answered hold at most {@code maxBodyBytesInFlight} bytes in all.
   */
  public record Connections(int max, int maxPerAddress, Duration requestHead, Duration hello,
      int maxBodyBytesInFlight) {}

  /**
   * HTTPS and WSS on the same port: a PEM certificate chain (the server's first, then its CAs) and
   * its PEM private key (PKCS#8, unencrypted). Null in {@link Http} when TLS is off.
   */
  public record Tls(java.nio.file.Path certificate, java.nio.file.Path privateKey) {}

  /**
   * An empty url means: start the embedded MariaDB under {@code dataDir}. {@code queryTimeout}: how
   * long a pool connection waits for an answer (a backstop; outages are found by the health probe).
   */
  public record Database(String url, String user, String password, int poolSize, Duration queryTimeout) {
    public boolean embedded() {
      return url.isEmpty();
    }
  }

  /**
   * PBKDF2 runs on {@code hashingThreads} of its own (by default half the cores, at least 1), with
   * at most {@code hashingQueue} passwords waiting; past that a login is answered 503 at once. New
   * password hashes take {@code passwordIterations} (OWASP's figure by default).
   */
  public record Auth(Optional<String> initialAdminPassword, Duration tokenTtl, int hashingThreads, int hashingQueue,
      int passwordIterations, Throttle throttle) {}

  /**
   * Sign-in throttling, per {@code window}: after {@code addressFailures} failed logins from one
   * address, or {@code accountAddressFailures} for one account from one address, that address (for
   * that account) is refused until the window ends. Past {@code accountFailures} for one account
   * from anywhere, its sign-in is slowed down, by at most {@code maxDelay}, never refused.
   */
  public record Throttle(Duration window, int addressFailures, int accountAddressFailures, int accountFailures,
      Duration maxDelay) {}

  /**
   * Per-connection WebSocket flood limit: a token bucket of {@code wsBurst} refilled at {@code wsMessagesPerSecond}.
   * {@code wsOutboundBytes}: the most output a connection may have waiting for its client; past it, it is closed as too slow.
   * {@code wsConnectionsPerIdentity}: the most WebSocket sessions one customer, or one user, may have at once.
   */
  public record Limits(int wsMessagesPerSecond, int wsBurst,
      int wsOutboundBytes, int wsConnectionsPerIdentity) {}

  /** The batching message writer: at most {@code maxBatch} messages per commit. */
  public record Writer(int maxBatch) {}

  /** Defaults for the timeouts a center may set for itself ({@code CenterSettings}). */
  public record Timeouts(Duration agentGrace, Duration customerGrace, Duration idleWarning, Duration idleClose) {}

  /**
   * The access records (접속기록): kept {@code keepDays} (at least 730, two years), chained with the key in
   * {@code keyFile} (outside the database; generated at the first start when absent); an export or download naming
   * {@code bulkExportSubjects} customers or more is listed as bulk in the monthly report.
   */
  public record AccessLog(Path keyFile, int keepDays, int bulkExportSubjects) {}

  /**
   * Files sent in conversations: at most {@code maxBytes} each, of the {@code allowedTypes} (media
   * types such as {@code image/png}); stored under {@code dataDir/attachments}.
   */
  public record Attachments(int maxBytes, Set<String> allowedTypes) {}

  /**
   * This node. Without {@code natsUrl} one node serves a database: it holds a lease renewed every
   * {@code heartbeat}, which another node may take only {@code lease} after the last renewal. A node
   * with the same identity (the same host and data directory, or the same configured
   * {@code nodeName}) takes it back at once. An empty {@code nodeName} was not configured: the host
   * name stands for it, but as it is shared by every server on the host, it is no identity.
   *
   * <p>With {@code natsUrl} the node joins the cluster on that NATS server: each center is owned by one
   * node at a time through a lease that expires {@code centerLease} after its owner's last renewal, sent
   * every {@code centerHeartbeat}; the node claims the {@code centers} it prefers ("tenant/center") first.
   */
  public record Cluster(Optional<String> nodeName, Duration lease, Duration heartbeat, Optional<String> natsUrl,
      List<String> centers, Duration centerLease, Duration centerHeartbeat) {

    /** Whether this node is one of several, on NATS. */
    public boolean clustered() {
      return natsUrl.isPresent();
    }
  }

  /**
   * Retention (issue 19): no tenant's period may be shorter than {@code minimumDays}, the legal minimum the
   * operator sets; the job ticks every {@code every} on every node (one node runs each slot), and touches at most
   * {@code batchSize} rows per statement (conversations or customers per transaction).
   */
  public record Retention(int minimumDays, Duration every, int batchSize) {}

  /**
   * Personal fields sealed at rest: their keys in {@code keyFile} (written, readable by the server's account only,
   * at the first start when there is none and the database holds nothing sealed yet); every node of a database
   * needs the same file.
   */
  public record Crypto(Path keyFile) {}

  /**
   * The conversation search's text index: each node keeps its own in {@code indexDir} on local disk (not a shared
   * volume), built from the database. {@code indexEvery}: how often it reads the messages stored since (a search
   * reads the rest itself).
   */
  public record Search(Path indexDir, Duration indexEvery) {}
}
