/**
 * A CMP client (RFC 4210 as profiled by RFC 9483) over HTTP (RFC 6712): initialisation
 * and key-update requests, protected by a shared secret or a signature, with every
 * answer checked (protection, transaction id, nonces, status) before it is used.
 */
package org.tokenctl.core.issue.cmp;
