/**
 * Token administration: initialising a token ({@code C_InitToken}) and changing,
 * setting and unblocking its PINs, each checked against the PIN policy before the
 * token is touched and logged in through the attempt guard.
 */
package org.tokenctl.core.admin;
