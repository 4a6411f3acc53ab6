package org.tokenctl.cli.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import org.tokenctl.core.objects.TokenObject;
import org.tokenctl.core.token.PinState;
import org.tokenctl.core.token.PinStatus;
import org.tokenctl.core.token.Slot;
import org.tokenctl.core.token.TokenFlag;
import org.tokenctl.core.token.TokenInfo;
import org.tokenctl.core.uri.Pkcs11Uri;

/** Human-readable output: one block per slot, one line per object. */
public final class TextFormat {

    private TextFormat() {
    }

    /**
     * @param out stdout
     * @param s a slot and its token
     */
    public static void slot(PrintWriter out, Slot s) {
        slot(out, s, null);
    }

    /**
     * @param out stdout
     * @param s a slot
     * @param profile the profile that applies to its token, or null to leave it out
     */
    public static void slot(PrintWriter out, Slot s, Views.ProfileView profile) {
        out.printf("Slot %d: %s%n", s.id(), s.description());
        TokenInfo t = s.token();
        if (t == null) {
            out.println("  (no token)");
            return;
        }
        if (!t.initialized()) {
            out.printf("  token:      not initialised (%s %s)%n", t.manufacturer(), t.model());
            return;
        }
        out.printf("  label:      %s%n", t.label());
        out.printf("  serial:     %s%n", t.serial());
        out.printf("  maker:      %s / %s (hw %s, fw %s)%n", t.manufacturer(), t.model(), t.hardwareVersion(),
                t.firmwareVersion());
        out.printf("  user PIN:   %s%n", pinState(t.userPin()));
        out.printf("  SO PIN:     %s%n", pinState(t.soPin()));
        out.printf("  PIN length: %d to %d%n", t.minPinLength(), t.maxPinLength());
        if (profile != null) {
            out.printf("  profile:    %s (%s)%n", profile.id(), profile.describe());
        }
        out.printf("  uri:        %s%n", Pkcs11Uri.of(t));
        out.printf("  flags:      %s%n", t.flags().stream().sorted().map(TokenFlag::pkcs11Name)
                .collect(Collectors.joining(" ")));
    }

    /**
     * @param p a PIN status
     * @return its state in words
     */
    public static String pinState(PinStatus p) {
        if (!p.initialized()) {
            return "not set";
        }
        String state;
        switch (p.state()) {
            case LOCKED:
                state = "LOCKED";
                break;
            case FINAL_TRY:
                state = "final try (one more wrong PIN locks it)";
                break;
            case COUNT_LOW:
                state = "wrong PINs entered recently";
                break;
            default:
                state = "ok";
                break;
        }
        return p.toBeChanged() && p.state() != PinState.LOCKED ? state + ", must be changed" : state;
    }

    /**
     * @param token the token an object is on
     * @param o the object
     * @return its RFC 7512 URI: the token's, with the object's id, label and type
     */
    public static String uri(TokenInfo token, TokenObject o) {
        return Pkcs11Uri.of(token, o.objectClass(), o.id(), o.label()).toString();
    }

    /**
     * @param out stdout
     * @param token the token they are on
     * @param objects objects on one token
     * @param loggedIn whether private objects were visible
     */
    public static void objects(PrintWriter out, TokenInfo token, List<TokenObject> objects, boolean loggedIn) {
        if (objects.isEmpty()) {
            out.println(loggedIn ? "  (no objects)" : "  (no public objects; private ones need a login: --login)");
            return;
        }
        for (TokenObject o : objects) {
            StringBuilder sb = new StringBuilder("  ").append(o.objectClass().name().toLowerCase().replace('_', ' '));
            sb.append("  label='").append(o.label()).append("'");
            if (o.id() != null) {
                sb.append("  id=").append(o.id().hex());
            }
            if (o.key() != null) {
                sb.append("  ").append(o.key().type());
                if (o.key().bits() > 0) {
                    sb.append('-').append(o.key().bits());
                }
                if (o.key().curve() != null) {
                    sb.append(" (").append(o.key().curve()).append(')');
                }
            }
            if (o.privateKey() != null) {
                var p = o.privateKey();
                sb.append("  sensitive=").append(p.sensitive()).append(" alwaysSensitive=").append(p.alwaysSensitive())
                        .append(" extractable=").append(p.extractable()).append(" neverExtractable=")
                        .append(p.neverExtractable()).append(" local=").append(p.local());
            }
            if (o.certificate() != null) {
                var c = o.certificate();
                sb.append("\n      subject: ").append(c.subject())
                        .append("\n      issuer:  ").append(c.issuer())
                        .append("\n      serial:  ").append(c.serialHex())
                        .append("\n      valid:   ").append(c.notBefore()).append(" to ").append(c.notAfter());
            }
            sb.append("\n      uri:     ").append(uri(token, o));
            out.println(sb);
        }
    }
}
