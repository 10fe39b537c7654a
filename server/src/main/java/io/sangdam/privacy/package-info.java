/** Personal data shown to staff: masking of contact fields, and of the personal items found in message text. */
package io.sangdam.privacy;
