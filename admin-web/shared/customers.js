// A customer as the consoles name them: their name, or for one who never gave it (all of whom the server
// calls 고객, masked 고* to staff who may not read names) "고객 #12" by their customer number, so that the
// agent and the admin console call the same person the same, and two such customers are told apart.
const ANONYMOUS = new Set(['고객', '고*']);

/** {@code customer} ({id, name}) labelled; {@code text(key, values)} is the console's translator. */
export function customerLabel(customer, text) {
  if (!customer) {
    return '';
  }
  return ANONYMOUS.has(customer.name) && customer.id !== undefined && customer.id !== null
    ? text('anonymousCustomer', { id: customer.id }) : customer.name;
}
