/**
 * Keys: the key specs tokenctl generates, generation on the token with a
 * non-exportable template and its read-back verification, public keys and their
 * identifiers, and the signature algorithms a request is signed with.
 */
package org.tokenctl.core.key;
