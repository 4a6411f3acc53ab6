package org.tokenctl.core.token;

import org.tokenctl.core.Failure;

import java.util.List;
import java.util.stream.Collectors;

import org.tokenctl.core.TokenctlException;

/**
 * No token, or more than one, matched a {@link TokenSelector}. Carries the
 * tokens that were found so the message can list them:
 * "No token labelled 'ci' (found: bank-a, bank-b)".
 */
public class TokenSelectionException extends TokenctlException {

    private static final long serialVersionUID = 1L;

    /** Why selection failed. */
    public enum Reason {
        /** no slot holds a token at all */
        NO_TOKEN_PRESENT,
        /** tokens exist but none matches */
        NOT_FOUND,
        /** the slot exists but is empty */
        NO_TOKEN_IN_SLOT,
        /** several tokens match; the caller must be more specific */
        AMBIGUOUS
    }

    /** @serial see {@link #reason()} */
    private final Reason reason;
    private final transient TokenSelector selector;
    private final transient List<Slot> found;

    /**
     * @param reason why selection failed
     * @param selector what was asked for
     * @param found the candidates (all present tokens, or the ambiguous matches)
     */
    public TokenSelectionException(Reason reason, TokenSelector selector, List<Slot> found) {
        super(message(reason, selector, found));
        this.reason = reason;
        this.selector = selector;
        this.found = List.copyOf(found);
    }

    private static String message(Reason reason, TokenSelector selector, List<Slot> found) {
        String list = found.stream().map(TokenSelectionException::name).sorted().collect(Collectors.joining(", "));
        switch (reason) {
            case NO_TOKEN_PRESENT:
                return "No token present";
            case NO_TOKEN_IN_SLOT:
                return "No token in slot " + selector.value()
                        + (found.isEmpty() ? "" : " (found: " + list + ")");
            case AMBIGUOUS:
                return found.size() + " tokens " + selector.describe()
                        + "; name one by slot, label or serial (found: " + list + ")";
            default:
                return "No token " + selector.describe() + " (found: " + list + ")";
        }
    }

    private static String name(Slot s) {
        if (!s.token().initialized()) {
            return "(uninitialised token in slot " + s.id() + ")";
        }
        return s.token().label() + " [" + s.token().serial() + "]";
    }

    /** @return why selection failed */
    public Reason reason() {
        return reason;
    }

    /** @return what was asked for */
    public TokenSelector selector() {
        return selector;
    }

    /** @return the tokens found instead */
    public List<Slot> found() {
        return found;
    }

    /** @return the labels of the tokens found instead */
    public List<String> foundLabels() {
        return found.stream().map(s -> s.token().label()).collect(Collectors.toList());
    }

    /** @return {@link Failure#TOKEN_SELECTION} */
    @Override
    public Failure failure() {
        return Failure.TOKEN_SELECTION;
    }
}
