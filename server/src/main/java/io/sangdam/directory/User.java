package io.sangdam.directory;

import java.util.Set;

/**
 * A person who logs in. {@code tenantId} is null for HQ users; {@code centerId} is set for
 * managers and agents. {@code queueIds} are the queues an agent serves; {@code maxChats} is null
 * when the queue's default applies.
 */
public record User(long id, Long tenantId, Long centerId, String username, String name, Role role,
    Integer maxChats, Set<Long> queueIds, boolean enabled) {}
