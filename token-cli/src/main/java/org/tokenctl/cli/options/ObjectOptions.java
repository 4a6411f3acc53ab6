package org.tokenctl.cli.options;

import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.objects.KeyId;
import org.tokenctl.core.objects.ObjectClass;
import org.tokenctl.core.objects.ObjectQuery;
import org.tokenctl.core.uri.Pkcs11Uri;
import picocli.CommandLine.Option;

/**
 * How the object commands ({@code delete}, {@code export-cert}) name objects:
 * {@code --id HEX} and {@code --label LABEL}, or the object part of {@code --uri}
 * ({@code id=}, {@code object=}, {@code type=}), pkcs11-tool's and RFC 7512's words.
 */
public final class ObjectOptions {

    @Option(names = "--id", paramLabel = "HEX", description = "The object's CKA_ID.")
    private String id;

    @Option(names = "--label", paramLabel = "LABEL", description = "The object's CKA_LABEL (exact match).")
    private String label;

    /**
     * @param uri the --uri given, or null
     * @param type the class asked for, or null for any
     * @return the objects named
     * @throws InvalidInputException if --id is not hex, or --id/--label are given beside a URI's object part
     */
    public ObjectQuery query(Pkcs11Uri uri, ObjectClass type) throws InvalidInputException {
        if (uri != null && uri.namesObject()) {
            if (id != null || label != null) {
                throw new InvalidInputException("uri", "Name the object either in the URI (id=, object=, type=) or"
                        + " with --id and --label, not both");
            }
            ObjectQuery q = uri.objectQuery();
            return type == null || q.type() != null ? q : new ObjectQuery(type, q.id(), q.label());
        }
        return new ObjectQuery(type, id == null ? null : KeyId.parse(id), label);
    }
}
