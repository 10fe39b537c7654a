/**
 * The live dashboard (실시간 현황): waiting, longest wait, conversations in progress and agents by
 * status, from the routing engines' own state, rolled up from center to tenant to HQ; and its
 * live feed, pushed to subscribed consoles at most once a second when something changed.
 */
package io.sangdam.dashboard;
