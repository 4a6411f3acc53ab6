package org.tokenctl.cli;

import org.tokenctl.cli.options.PinSource;
import org.tokenctl.core.enroll.EnrollmentRequest;
import org.tokenctl.core.module.Token;
import org.tokenctl.core.pin.LoginOptions;
import org.tokenctl.core.profile.VendorProfile;
import org.tokenctl.core.token.TokenInfo;

/**
 * One token of a batch, with everything decided before the workers start (on the
 * main thread, so that nothing lazily initialised is shared between threads).
 *
 * @param token the token
 * @param info its state when the batch started (label, serial)
 * @param request what to enroll on it
 * @param ownPin its own PIN source from the manifest, or null for the shared one
 * @param profile the vendor profile whose rules apply
 * @param login the login rules for it
 */
record BatchTarget(Token token, TokenInfo info, EnrollmentRequest request, PinSource ownPin,
                   VendorProfile profile, LoginOptions login) {
}
