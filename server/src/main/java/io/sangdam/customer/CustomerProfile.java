package io.sangdam.customer;

/** A customer's name, contact and memo as stored (contact and memo may be null). */
public record CustomerProfile(long id, long tenantId, String name, String contact, String memo) {}
