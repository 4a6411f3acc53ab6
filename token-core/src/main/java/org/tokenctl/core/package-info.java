/**
 * tokenctl's core library: provisioning PKCS#11 tokens (initialise, PINs, key pairs
 * generated on the token, certificates installed beside them) without any CLI.
 * This package holds what every operation shares: {@link org.tokenctl.core.TokenctlException}
 * and its {@link org.tokenctl.core.Failure} kinds, which callers branch on, and the rules
 * for characters in names. Start with {@link org.tokenctl.core.module.Pkcs11Module}.
 */
package org.tokenctl.core;
