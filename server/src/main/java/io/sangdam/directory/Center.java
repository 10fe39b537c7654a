package io.sangdam.directory;

/** A regional center (지역 센터) of a tenant, with its own queues, agents and settings. */
public record Center(long id, long tenantId, String code, String name, String timezone, CenterSettings settings) {}
