package io.sangdam.retention;

/**
 * What a customer's erasure on request did: what it erased, and how many of their conversations it kept as records
 * another law requires (stripped of what the record does not need, erased by the job when their period is over).
 */
public record CustomerErasure(Erased erased, int keptAsRecord) {}
