package io.sangdam.cluster;

/** A center as the leases know it: its id (the lease's key) and its {@code tenant/center} codes (as {@code cluster.centers} names it). */
public record CenterRef(long id, String code) {}
