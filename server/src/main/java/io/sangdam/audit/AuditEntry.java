package io.sangdam.audit;

/** One line of the audit log; {@code tenantId}/{@code centerId} null for HQ-wide actions. */
public record AuditEntry(Long actorId, String actorName, Long tenantId, Long centerId, String action, String target,
    String detail, String remoteAddress) {}
