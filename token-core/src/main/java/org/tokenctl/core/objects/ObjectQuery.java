package org.tokenctl.core.objects;

import java.util.ArrayList;
import java.util.List;

import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.module.Attributes;
import org.tokenctl.core.module.Pkcs11;
import org.tokenctl.core.module.TokenSession;

/**
 * Which objects on a token an operator names: by class, CKA_ID and CKA_LABEL, each
 * optional, as {@code --id}, {@code --label} and the object part of a {@code pkcs11:}
 * URI ({@code type}, {@code id}, {@code object}) say. An object matches when it has
 * every attribute given, exactly (RFC 7512 section 2.3's matching rule).
 *
 * @param type the object class, or null for any
 * @param id the CKA_ID, or null for any
 * @param label the CKA_LABEL, or null for any
 */
public record ObjectQuery(ObjectClass type, KeyId id, String label) {

    /**
     * @param id a CKA_ID
     * @return a query for every object with that id
     */
    public static ObjectQuery id(KeyId id) {
        return new ObjectQuery(null, id, null);
    }

    /** @return whether neither an id nor a label is given (the query would match every object of its class) */
    public boolean isOpen() {
        return id == null && label == null;
    }

    /**
     * @param cls a class the query is narrowed to
     * @return this query for that class only, or null when the query's own class is another
     */
    public ObjectQuery ofType(ObjectClass cls) {
        return type != null && type != cls ? null : new ObjectQuery(cls, id, label);
    }

    /**
     * @param session an open session (logged in, for private objects)
     * @return the handles of the matching objects, in the token's order
     * @throws TokenctlException if the token fails
     */
    public List<Long> find(TokenSession session) throws TokenctlException {
        Attributes template = type == null || type == ObjectClass.OTHER ? new Attributes()
                : Attributes.ofClass(type.cko());
        if (id != null) {
            template.id(id.bytes());
        }
        if (label != null) {
            template.label(label);
        }
        List<Long> out = new ArrayList<>();
        for (long h : session.find(template)) {
            out.add(h);
        }
        return out;
    }

    /** @return e.g. "id 0a0b and label 'alice'", for messages */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (id != null) {
            parts.add("id " + id.hex());
        }
        if (label != null) {
            parts.add("label '" + label + "'");
        }
        return parts.isEmpty() ? "any id and label" : String.join(" and ", parts);
    }
}
