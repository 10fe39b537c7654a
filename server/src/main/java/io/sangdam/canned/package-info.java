/** Canned responses (상용구): shared per tenant or center and personal per agent, looked up by shortcut or words, filled with the conversation's variables when sent. */
package io.sangdam.canned;
