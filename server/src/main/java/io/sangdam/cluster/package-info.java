/**
 * Which node serves what, and what travels between nodes; the one package that talks to NATS. A
 * server alone holds the database's lease with a heartbeat, so a second server refuses to start
 * instead of taking over a live node's conversations. With {@code cluster.natsUrl} the nodes register
 * with each other ({@link io.sangdam.cluster.NodeRegistry}), lease each center
 * ({@link io.sangdam.cluster.CenterLeases}, fenced in the database so a lapsed owner writes nothing),
 * carry sessions' calls to the owner ({@link io.sangdam.cluster.ForwardedCalls}), hand a conversation
 * moved into another node's center to that node ({@link io.sangdam.cluster.ConversationHandoffs}) and share events,
 * signals, management changes and the dashboards' figures.
 */
package io.sangdam.cluster;
