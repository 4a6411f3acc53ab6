package org.tokenctl.cli.station;

/**
 * One line of a station's journal (docs/schema/station-journal.schema.json): what
 * happened to one token at the desk, written before the operator is told to remove it.
 *
 * @param schemaVersion 1
 * @param time when the token's turn ended (ISO-8601, UTC)
 * @param station the station's name
 * @param operator who was at the desk
 * @param serial the token's serial number
 * @param label the token's label
 * @param model the token's model
 * @param keyId the key's CKA_ID (hex), or null
 * @param algorithm the key spec, e.g. ec:p256, or null
 * @param certificateSerial the certificate's serial number (hex), or null
 * @param subject the certificate's subject, or null
 * @param notAfter the certificate's end of validity (ISO-8601, UTC), or null
 * @param outcome enrolled, already-enrolled, failed, pulled, skipped or not-initialised
 * @param exitName the exit code's name for the token (OK for the good outcomes)
 * @param error one line, or null
 */
public record JournalRecord(int schemaVersion, String time, String station, String operator, String serial,
                            String label, String model, String keyId, String algorithm, String certificateSerial,
                            String subject, String notAfter, String outcome, String exitName, String error) {
}
