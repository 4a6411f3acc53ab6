package org.tokenctl.core.token;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.uri.Pkcs11Uri;

/**
 * Which token an operation is about: by slot id, by label, by serial, "the only
 * token present", or "the only initialised token".
 *
 * <p>Selecting never guesses: several matches or none give a
 * {@link TokenSelectionException} that lists what was found.
 *
 * <p>The two defaults differ on purpose. SoftHSM always offers one uninitialised
 * token (its free slot), and a reader may hold a blank card, so once a token is
 * initialised there "the only token present" is always ambiguous (issue 2). An
 * operation that needs an initialised token (login, objects, PINs) should use
 * {@link #onlyInitializedToken()}, which looks past uninitialised tokens;
 * {@link #onlyToken()} counts every token, as {@code C_InitToken} may be given any.
 * A label names an initialised token only (an uninitialised one has none yet);
 * a serial, any token that reports it (a blank card often has its serial from the
 * factory; SoftHSM's free slot shows none); by slot, any token.
 */
public final class TokenSelector {

    /** How a selector matches. */
    public enum Kind {
        /** by slot id (this process only) */
        SLOT,
        /** by CK_TOKEN_INFO.label */
        LABEL,
        /** by CK_TOKEN_INFO.serialNumber */
        SERIAL,
        /** the single token present, initialised or not */
        ONLY,
        /** the single token with CKF_TOKEN_INITIALIZED; uninitialised tokens beside it are ignored */
        ONLY_INITIALIZED,
        /** every token and slot attribute of a {@code pkcs11:} URI (RFC 7512) */
        URI
    }

    private final Kind kind;
    private final String value;
    private final Pkcs11Uri uri;

    private TokenSelector(Kind kind, String value) {
        this(kind, value, null);
    }

    private TokenSelector(Kind kind, String value, Pkcs11Uri uri) {
        this.kind = kind;
        this.value = value;
        this.uri = uri;
    }

    /**
     * Matches the token with every token and slot attribute the URI gives ({@code token},
     * {@code manufacturer}, {@code model}, {@code serial}, {@code slot-id}, ...); its object
     * attributes are not looked at here. A URI that names the token by its label matches
     * initialised tokens only; one that names neither a serial nor a slot id counts
     * initialised tokens only, as {@link #onlyInitializedToken()} does.
     *
     * @param uri a parsed URI
     * @return a selector for the token it names
     */
    public static TokenSelector uri(Pkcs11Uri uri) {
        Pkcs11Uri token = Objects.requireNonNull(uri, "uri").tokenPart();
        return new TokenSelector(Kind.URI, token.toString(), token);
    }

    /**
     * @param slotId a slot id
     * @return a selector for the token in that slot
     */
    public static TokenSelector slot(long slotId) {
        return new TokenSelector(Kind.SLOT, Long.toString(slotId));
    }

    /**
     * Matches initialised tokens only: an uninitialised token's label is whatever
     * the module shows before {@code C_InitToken} sets one (SoftHSM's free slot: an
     * empty label), not a name anyone gave it; select one by slot.
     *
     * @param label a token label (compared exactly, without trailing blanks)
     * @return a selector for the initialised token with that label
     * @throws InvalidInputException if the label is empty or blank (it could only name an uninitialised token)
     */
    public static TokenSelector label(String label) throws InvalidInputException {
        return new TokenSelector(Kind.LABEL, nonBlank(Objects.requireNonNull(label, "label"), "token-label",
                "A token label to select by must not be empty"));
    }

    /**
     * Matches any token that reports this serial, initialised or not: a blank card
     * often carries its factory serial, which is how a provisioning station names it
     * for {@code C_InitToken}. (SoftHSM's free slot shows an empty serial, which no
     * selector can ask for.)
     *
     * @param serial a token serial number
     * @return a selector for the token with that serial
     * @throws InvalidInputException if the serial is empty or blank
     */
    public static TokenSelector serial(String serial) throws InvalidInputException {
        return new TokenSelector(Kind.SERIAL, nonBlank(Objects.requireNonNull(serial, "serial"), "serial",
                "A token serial to select by must not be empty"));
    }

    private static String nonBlank(String value, String field, String rule) throws InvalidInputException {
        if (value.isBlank()) {
            throw new InvalidInputException(field, rule
                    + " (a token without one is selected by slot)");
        }
        return value;
    }

    /**
     * Every token counts, initialised or not: with SoftHSM's free slot beside an
     * initialised token this is ambiguous (see {@link #onlyInitializedToken()}).
     *
     * @return a selector for the only token present
     */
    public static TokenSelector onlyToken() {
        return new TokenSelector(Kind.ONLY, null);
    }

    /**
     * The default for operations that need an initialised token: the one token
     * whose CKF_TOKEN_INITIALIZED flag is set, however many uninitialised tokens
     * (SoftHSM's free slot, a blank card) are present beside it. An uninitialised
     * token is never chosen, even when it is the only one: it holds no PIN and no
     * object until it is initialised. Several initialised tokens are ambiguous
     * (the exception lists them); none is {@link TokenSelectionException.Reason#NOT_FOUND}
     * (listing the uninitialised ones) or, when no token at all is present,
     * {@link TokenSelectionException.Reason#NO_TOKEN_PRESENT}.
     *
     * <p>Where several initialised tokens are in use, name one by label or serial:
     * SoftHSM skips a token whose files another process is rewriting when the
     * module is initialised, and this selector would then find only the other.
     *
     * @return a selector for the only initialised token
     */
    public static TokenSelector onlyInitializedToken() {
        return new TokenSelector(Kind.ONLY_INITIALIZED, null);
    }

    /** @return how this selector matches */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the slot id, label, serial or URI (as tokenctl writes it); null for {@link Kind#ONLY} and
     *         {@link Kind#ONLY_INITIALIZED}
     */
    public String value() {
        return value;
    }

    /**
     * Picks the one slot this selector names.
     *
     * @param slots every slot of the module
     * @return the matching slot, which holds a token
     * @throws TokenSelectionException when none or several match
     */
    public Slot select(List<Slot> slots) throws TokenSelectionException {
        List<Slot> present = slots.stream().filter(s -> s.token() != null).collect(Collectors.toList());
        List<Slot> matches = present.stream().filter(this::matches).collect(Collectors.toList());
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (kind == Kind.SLOT && slots.stream().anyMatch(this::matches)) {
            throw new TokenSelectionException(TokenSelectionException.Reason.NO_TOKEN_IN_SLOT, this, present);
        }
        if (present.isEmpty()) {
            throw new TokenSelectionException(TokenSelectionException.Reason.NO_TOKEN_PRESENT, this, present);
        }
        throw new TokenSelectionException(matches.isEmpty() ? TokenSelectionException.Reason.NOT_FOUND
                : TokenSelectionException.Reason.AMBIGUOUS, this, matches.isEmpty() ? present : matches);
    }

    private boolean matches(Slot s) {
        switch (kind) {
            case SLOT:
                return Long.toString(s.id()).equals(value);
            case LABEL:
                return s.token() != null && s.token().initialized() && s.token().label().equals(value);
            case SERIAL:
                return s.token() != null && s.token().serial().equalsIgnoreCase(value);
            case ONLY_INITIALIZED:
                return s.token() != null && s.token().initialized();
            case URI:
                return uri.matches(s) && (s.token().initialized() || uri.serial() != null || uri.slotId() != null);
            default:
                return s.token() != null;
        }
    }

    /** @return e.g. "labelled 'ci'", for messages ("No token labelled 'ci'", "2 tokens initialised") */
    public String describe() {
        switch (kind) {
            case SLOT:
                return "in slot " + value;
            case LABEL:
                return "labelled '" + value + "'";
            case SERIAL:
                return "with serial " + value;
            case ONLY_INITIALIZED:
                return "initialised";
            case URI:
                return "matching " + value;
            default:
                return "present";
        }
    }

    @Override
    public String toString() {
        return "token " + describe();
    }
}
