/** Personal data shown to staff: masking of contact details (the full PII masking of messages comes with the admin work). */
package io.sangdam.privacy;
