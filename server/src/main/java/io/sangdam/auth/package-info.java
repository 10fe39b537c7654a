/**
 * Who is calling: password hashing (on a pool of its own), sign-in and its throttling, login tokens, customer visitor
 * tokens, principals, and the one place roles and scopes are checked.
 */
package io.sangdam.auth;
