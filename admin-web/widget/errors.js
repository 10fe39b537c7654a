// What a customer is told when the server refuses something: a sentence chosen by the error's code and, for a
// field error, by the field it names. The server's own message is English for developers and never shown.
const FIELD_KEYS = {
  tenant: 'errorAddress',
  center: 'errorAddress',
  'form.name': 'errorName',
  'form.contact': 'errorContact',
  'form.inquiryType': 'errorInquiryType',
  'form.consent': 'errorConsent',
  'form.consentVersion': 'errorConsentChanged',
  form: 'errorForm',
  contact: 'errorContact',
  text: 'errorText',
};

const CODE_KEYS = {
  not_found: 'errorNotFound',
  too_long: 'errorText',
  rate_limited: 'errorTooFast',
  too_many_attempts: 'errorTooFast',
  conversation_closed: 'errorClosed',
  already_rated: 'errorRated',
  too_large: 'errorFileSize',
  unsupported_type: 'errorFileType',
  unavailable: 'errorLater',
  internal: 'errorLater',
};

/** The field an error names ("field 'form.name' is required"), or null. */
export function errorField(error) {
  const match = /field '([^']+)'/.exec((error && error.message) || '');
  return match ? match[1] : null;
}

/** The i18n key of the sentence for an error frame or body ({code, message}). */
export function errorKey(error) {
  const code = (error && error.code) || '';
  if (code === 'missing_field' || code === 'invalid_field') {
    return FIELD_KEYS[errorField(error)] || 'errorForm';
  }
  return CODE_KEYS[code] || 'errorGeneric';
}
