package io.sangdam.retention;

/** Who asks, for the audit log: the staff account and the address the request came from. */
public record Requester(long userId, String username, String remoteAddress) {}
