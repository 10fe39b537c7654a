/**
 * Which node serves the database: until clustering exists, one node at a time, through a lease with a
 * heartbeat, so a second server refuses to start instead of taking over a live node's conversations.
 */
package io.sangdam.cluster;
