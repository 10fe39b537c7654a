/** Who is calling: password hashing, login tokens, customer visitor tokens, principals, and the one place roles and scopes are checked. */
package io.sangdam.auth;
