/**
 * Which node serves what. A node alone holds the database's lease, so a second server refuses to
 * start instead of taking over a live node's conversations; clustered nodes lease each center on
 * NATS ({@link io.sangdam.cluster.CenterLeases}), fenced in the database so a lapsed owner writes nothing.
 */
package io.sangdam.cluster;
