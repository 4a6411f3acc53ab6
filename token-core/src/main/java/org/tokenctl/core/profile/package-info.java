/**
 * Vendor profiles as data: how to recognise a vendor's tokens, where its module
 * usually is, and its PIN rules and quirks; built-in profiles for the bank tokens
 * and SoftHSM, and the operator's own.
 */
package org.tokenctl.core.profile;
