/**
 * Objects on a token as tokenctl describes them: keys and certificates listed with
 * their attributes, identifiers ({@code CKA_ID}) and the record of what an operation
 * created, so that it can be removed again.
 */
package org.tokenctl.core.objects;
