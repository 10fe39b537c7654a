// The callback request (콜백 예약) beside the offline form: out of hours, the customer picks one of the
// center's slots and leaves a mobile number; an agent calls them then. Text from the network goes on the
// page with textContent only.
import { centerTime } from '../shared/center-time.js';

/**
 * Builds the form in #offline, after its intro. `text(key, values)` translates, `request(frame)` sends a frame
 * and returns its rid, `finished(message)` ends the widget's visit, `locale()` is the reader's locale.
 */
export function callbackForm({ $, text, request, finished, locale }) {
  const form = document.createElement('fieldset');
  form.id = 'callback-form';
  form.hidden = true;
  const legend = document.createElement('legend');
  const hint = document.createElement('p');
  hint.className = 'hint';
  const slotLabel = document.createElement('label');
  const slotText = document.createElement('span');
  const slot = document.createElement('select');
  slot.id = 'callback-slot';
  slotLabel.append(slotText, slot);
  const phoneLabel = document.createElement('label');
  const phoneText = document.createElement('span');
  const phone = document.createElement('input');
  phone.id = 'callback-phone';
  phone.type = 'tel';
  phone.inputMode = 'tel';
  phone.autocomplete = 'tel';
  phone.maxLength = 40;
  phone.placeholder = '010-1234-5678';
  phoneLabel.append(phoneText, phone);
  const error = document.createElement('p');
  error.id = 'callback-error';
  error.setAttribute('role', 'alert');
  const submit = document.createElement('button');
  submit.type = 'button';
  submit.id = 'callback-request';
  submit.className = 'primary';
  const or = document.createElement('p');
  or.className = 'or';
  form.append(legend, hint, slotLabel, phoneLabel, error, submit);
  $('offline-intro').after(form, or);

  const state = { queue: null, rids: new Set(), clientId: null, slots: [], zone: null };
  const SLOT_FORMAT = { month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' };

  function label() {
    legend.textContent = text('callbackTitle');
    hint.textContent = text('callbackHint');
    slotText.textContent = text('callbackSlot');
    phoneText.textContent = text('callbackPhone');
    submit.textContent = text('callbackRequest');
    or.textContent = text('callbackOr');
    renderSlots();
  }

  function renderSlots() {
    const chosen = slot.value;
    slot.replaceChildren();
    for (const at of state.slots) {
      const option = document.createElement('option');
      option.value = at;
      option.textContent = centerTime(at, locale(), state.zone, SLOT_FORMAT);
      slot.append(option);
    }
    if (chosen) {
      slot.value = chosen;
    }
  }

  /** Out of hours: asks the center's slots for a callback to `queue`; shown once it has some. */
  function offer(queue) {
    state.queue = queue;
    state.rids.add(request({ type: 'callbackSlots' }));
  }

  function submitted() {
    const number = phone.value.trim();
    if (!number) {
      error.textContent = text('callbackPhoneMissing');
      phone.focus();
      return;
    }
    error.textContent = '';
    // One id per request the customer means: a retry after a lost answer is the same request.
    state.clientId = state.clientId || `cb-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    state.rids.add(request({ type: 'callback', queue: state.queue, slot: slot.value, phone: number,
      clientId: state.clientId }));
  }
  submit.addEventListener('click', submitted);

  /** Takes the frames that answer this form; false for every other. */
  function receive(m) {
    if (m.type === 'callbackSlots' && state.rids.delete(m.rid)) {
      state.slots = m.slots;
      state.zone = m.timezone || null;
      renderSlots();
      form.hidden = m.slots.length === 0;
      or.hidden = form.hidden;
      return true;
    }
    if (m.type === 'callbackStored' && state.rids.delete(m.rid)) {
      state.clientId = null;
      phone.value = '';
      finished(text('callbackStored', { time: centerTime(m.slot, locale(), state.zone, SLOT_FORMAT) }));
      return true;
    }
    if (m.type === 'error' && state.rids.delete(m.rid)) {
      // The server's words are for developers: the customer reads which field to fix, in their language.
      const field = /field '(\w+)'/.exec(m.message || '');
      const which = field ? field[1] : '';
      error.textContent = text(which === 'phone' ? 'callbackPhoneInvalid'
        : which === 'slot' ? 'callbackSlotInvalid' : 'callbackFailed');
      if (which === 'slot') {
        offer(state.queue);
      }
      return true;
    }
    return false;
  }

  return { label, offer, receive };
}
