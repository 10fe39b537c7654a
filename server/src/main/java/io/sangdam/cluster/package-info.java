/**
 * Between nodes: which node serves the database when there is one (a lease with a heartbeat, so a
 * second server refuses to start instead of taking over a live node's conversations), and with many
 * nodes on NATS, the management changes every node's caches must see.
 */
package io.sangdam.cluster;
