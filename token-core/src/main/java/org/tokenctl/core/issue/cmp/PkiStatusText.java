package org.tokenctl.core.issue.cmp;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;

/** CMP status, failure bits and body types as the names RFC 4210 gives them, for one-line messages. */
final class PkiStatusText {

    /** PKIStatus, RFC 4210 section 5.2.3. */
    private static final String[] STATUS = {"accepted", "grantedWithMods", "rejection", "waiting",
        "revocationWarning", "revocationNotification", "keyUpdateWarning"};

    /** PKIFailureInfo bits 0 to 26, RFC 4210 section 5.2.3 (and RFC 9480). */
    private static final String[] FAILURE = {"badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
        "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp", "badPOP", "certRevoked",
        "certConfirmed", "wrongIntegrity", "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy",
        "unacceptedExtension", "addInfoNotAvailable", "badSenderNonce", "badCertTemplate", "signerNotTrusted",
        "transactionIdInUse", "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure",
        "duplicateCertReq"};

    /** PKIBody choices 0 to 26, RFC 4210 section 5.1.2. */
    private static final String[] BODY = {"ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup",
        "krr", "krp", "rr", "rp", "ccr", "ccp", "ckuann", "cann", "rann", "crlann", "pkiconf", "nested", "genm",
        "genp", "error", "certConf", "pollReq", "pollRep"};

    private PkiStatusText() {
    }

    /**
     * @param info a status
     * @return e.g. {@code rejection (badPOP, badRequest): 'request rejected'}
     */
    static String describe(PKIStatusInfo info) {
        StringBuilder sb = new StringBuilder(status(info.getStatus().intValue()));
        List<String> bits = failureNames(info.getFailInfo());
        if (!bits.isEmpty()) {
            sb.append(" (").append(String.join(", ", bits)).append(')');
        }
        String text = freeText(info.getStatusString());
        if (!text.isEmpty()) {
            sb.append(": ").append(text);
        }
        return sb.toString();
    }

    /**
     * @param status a PKIStatus value
     * @return its name, or "status N" for one RFC 4210 does not define
     */
    static String status(int status) {
        return status >= 0 && status < STATUS.length ? STATUS[status] : "status " + status;
    }

    /**
     * @param failInfo a PKIFailureInfo bit string, or null
     * @return the names of the bits set, in bit order (bit 0 is the first bit of the string)
     */
    static List<String> failureNames(ASN1BitString failInfo) {
        List<String> out = new ArrayList<>();
        if (failInfo == null) {
            return out;
        }
        byte[] bytes = failInfo.getBytes();
        for (int i = 0; i < bytes.length * 8; i++) {
            if ((bytes[i / 8] & (0x80 >> (i % 8))) != 0) {
                out.add(i < FAILURE.length ? FAILURE[i] : "bit " + i);
            }
        }
        return out;
    }

    /**
     * @param text free text from a server, or null
     * @return its strings, quoted, each one printable line
     */
    static String freeText(PKIFreeText text) {
        if (text == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            parts.add("'" + HttpTransport.printable(text.getStringAtUTF8(i).getString()) + "'");
        }
        return String.join(", ", parts);
    }

    /**
     * @param type a PKIBody type
     * @return its name, e.g. "ip" or "pkiconf"
     */
    static String body(int type) {
        return type >= 0 && type < BODY.length ? BODY[type] : "body type " + type;
    }

    /** @return the body type's name of a message's body */
    static String body(PKIBody body) {
        return body(body.getType());
    }
}
