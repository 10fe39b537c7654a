/**
 * Which node serves what. A server alone holds the database's lease with a heartbeat, so a second
 * server refuses to start instead of taking over a live node's conversations; with
 * {@code cluster.natsUrl}, the nodes register with each other over NATS JetStream, the one package
 * that talks to NATS.
 */
package io.sangdam.cluster;
