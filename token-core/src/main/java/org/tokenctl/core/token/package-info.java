/**
 * Tokens as plain data: slots, token information and flags, PIN states, and
 * selectors that pick one token by slot, label or serial (or the only one present)
 * with messages that list what was found.
 */
package org.tokenctl.core.token;
