/**
 * The PKCS#11 module and its tokens: loading and initialising a module once per JVM,
 * finding tokens by label or serial, sessions and the careful login protocol. This is
 * the only package that talks to the PKCS#11 wrapper.
 */
package org.tokenctl.core.module;
