/**
 * Enrollment, the main job: a key pair generated on the token (or one already there),
 * a request signed by it, a certificate from an issuer, installed and verified. Any
 * failure or cancellation after the first object was made removes what was made.
 */
package org.tokenctl.core.enroll;
