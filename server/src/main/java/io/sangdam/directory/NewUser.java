package io.sangdam.directory;

import java.util.Set;

/** A user to create; the password is already hashed. */
public record NewUser(Long tenantId, Long centerId, String username, String name, Role role, String passwordHash,
    Integer maxChats, Set<Long> queueIds) {}
