// Where a conversation comes from, as the consoles name it: the widget and the partners' channels by
// their kind (each app's i18n table has a `channel<KIND>` string), a custom channel by its own code.
import { api } from './console.js';

/**
 * The label of channel {@code code}, given the tenant's kinds (code -> kind); a code whose kind is not
 * known (a channel made since they were read) shows as itself.
 */
export function channelLabel(text, kinds, code) {
  return kindLabel(text, code === 'web' ? 'WEB' : kinds.get(code), code);
}

/** The label of channel {@code code} of {@code kind} (unknown: null): a custom channel is named by its code. */
export function kindLabel(text, kind, code) {
  return kind && kind !== 'CUSTOM' ? text(`channel${kind}`) : code;
}

/** Reads the tenant's channel codes and kinds (GET /api/tenants/{t}/channel-kinds) as a Map. */
export async function channelKinds(tokenKey, tenant) {
  const answer = await api(tokenKey, 'GET', `/api/tenants/${encodeURIComponent(tenant)}/channel-kinds`);
  return new Map(answer.channels.map((c) => [c.code, c.kind]));
}
