package org.tokenctl.core.issue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.tokenctl.core.cert.X509Time;
import org.tokenctl.core.InvalidInputException;
import org.tokenctl.core.TokenctlException;
import org.tokenctl.core.io.InputFiles;
import org.tokenctl.core.io.SafeFiles;

/**
 * The local development CA's index of revoked certificates, a small text file next
 * to the CA's files, and the CRLs made from it (RFC 5280 section 5: v2, the
 * authority key identifier and an increasing CRL number, a reason code for each
 * entry but "unspecified"). Not a production CA's database: it records what was
 * revoked, not what was issued.
 *
 * <p>The file, written only by tokenctl:
 * <pre>
 * # tokenctl local CA index: revoked certificates and the last CRL number
 * crl-number 3
 * revoked 1c12a1619ddc9c0ee2e46fae2bc89780 2026-12-07T13:04:29Z keyCompromise
 * </pre>
 * Changes go through {@link #update}: under a lock on a {@code .lock} file beside it,
 * read, changed, and replaced atomically (written whole, fsync'd, renamed), so that
 * two processes never lose each other's entries. Instances are immutable.
 */
public final class CaIndex {

    private static final String FIELD = "index";
    private static final String HEADER = "# tokenctl local CA index: revoked certificates and the last CRL number";
    private static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS =
            new java.util.concurrent.locks.ReentrantLock();

    /**
     * One revoked certificate.
     *
     * @param serial its serial number
     * @param revoked when it was revoked (to the second)
     * @param reason why
     */
    public record Entry(BigInteger serial, Instant revoked, RevocationReason reason) {
    }

    private final List<Entry> entries;
    private final BigInteger crlNumber;

    private CaIndex(List<Entry> entries, BigInteger crlNumber) {
        this.entries = List.copyOf(entries);
        this.crlNumber = crlNumber;
    }

    /** @return the revoked certificates, in the order they were revoked */
    public List<Entry> entries() {
        return entries;
    }

    /** @return the number of the last CRL made (0 before the first) */
    public BigInteger crlNumber() {
        return crlNumber;
    }

    /**
     * @param serial a serial number
     * @return its entry, if revoked
     */
    public Optional<Entry> find(BigInteger serial) {
        return entries.stream().filter(e -> e.serial().equals(serial)).findFirst();
    }

    /**
     * @param serial a certificate's serial number
     * @param at when
     * @param reason why
     * @return the index with it revoked
     * @throws InvalidInputException if it is revoked already
     */
    public CaIndex revoke(BigInteger serial, Instant at, RevocationReason reason) throws InvalidInputException {
        Optional<Entry> earlier = find(serial);
        if (earlier.isPresent()) {
            throw new InvalidInputException("serial", "Certificate " + serial.toString(16) + " was revoked already, on "
                    + earlier.get().revoked() + " (" + earlier.get().reason().asn1Name() + ")");
        }
        List<Entry> more = new ArrayList<>(entries);
        more.add(new Entry(serial, at.truncatedTo(ChronoUnit.SECONDS), reason));
        return new CaIndex(more, crlNumber);
    }

    /**
     * Makes the next CRL: number one above the last, thisUpdate now, nextUpdate {@code days} later, every
     * revoked certificate with its date and (unless unspecified) reason, signed by the CA key
     * ({@link LocalCa#crl} checks the key and the certificate first).
     *
     * @param ca the CA certificate (issuer name)
     * @param caKey its private key
     * @param aki the authority key identifier, as in the certificates the CA issues
     * @param now thisUpdate
     * @param days until nextUpdate, 1 to 36500
     * @return the index with the new CRL number, and the CRL
     * @throws InvalidInputException if days is out of range or the key cannot sign
     */
    Crl nextCrl(X509CertificateHolder ca, PrivateKey caKey, org.bouncycastle.asn1.x509.AuthorityKeyIdentifier aki,
                Instant now, int days) throws InvalidInputException {
        CaSigning.checkDays(days);
        BigInteger number = crlNumber.add(BigInteger.ONE);
        Instant thisUpdate = CaSigning.notBefore(now);
        X509v2CRLBuilder b = new X509v2CRLBuilder(ca.getSubject(), X509Time.of(thisUpdate));
        b.setNextUpdate(X509Time.of(CaSigning.notAfter(thisUpdate, days)));
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::serial));
        for (Entry e : sorted) {
            if (e.reason() == RevocationReason.UNSPECIFIED) {
                b.addCRLEntry(e.serial(), Date.from(e.revoked()), null);
            } else {
                b.addCRLEntry(e.serial(), Date.from(e.revoked()), e.reason().code());
            }
        }
        try {
            b.addExtension(Extension.authorityKeyIdentifier, false, aki);
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a CRL extension", e);
        }
        X509CRLHolder crl;
        try {
            crl = b.build(CaSigning.signer(caKey));
        } catch (org.bouncycastle.operator.RuntimeOperatorException e) {
            throw CaSigning.cannotSign(e);
        }
        return new Crl(new CaIndex(entries, number), crl);
    }

    /**
     * A CRL and the index that numbered it.
     *
     * @param index the index to keep (its CRL number is the CRL's)
     * @param crl the CRL
     */
    public record Crl(CaIndex index, X509CRLHolder crl) {
    }

    /** A change to the index, made under its lock. */
    @FunctionalInterface
    public interface Change<T> {
        /**
         * @param current the index as it is on disk
         * @return what to write and what to return
         * @throws TokenctlException to write nothing
         */
        Changed<T> apply(CaIndex current) throws TokenctlException;
    }

    /**
     * @param index the index to write
     * @param result what {@link #update} returns
     * @param <T> its type
     */
    public record Changed<T>(CaIndex index, T result) {
    }

    /**
     * Reads the index (an absent file is an empty index), applies the change and writes the result, all under
     * an exclusive lock, so that concurrent changes follow one another.
     *
     * @param file the index file
     * @param change the change
     * @param <T> what the change returns
     * @return what the change returned
     * @throws InvalidInputException if the file is not an index tokenctl wrote, or cannot be written
     * @throws TokenctlException whatever the change throws (nothing is then written)
     */
    public static <T> T update(Path file, Change<T> change) throws TokenctlException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        // a file lock is the process's: threads of this JVM take turns on IN_PROCESS first
        IN_PROCESS.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Changed<T> changed = change.apply(read(file));
            SafeFiles.replaceState(file, changed.index().text().getBytes(StandardCharsets.UTF_8), true);
            return changed.result();
        } catch (IOException e) {
            throw new InvalidInputException(FIELD, "Cannot write the CA index " + file + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /**
     * @param file the index file
     * @return the index it holds; empty when the file does not exist
     * @throws InvalidInputException if it is not an index tokenctl wrote (the line is named, not quoted)
     */
    public static CaIndex read(Path file) throws InvalidInputException {
        if (!Files.exists(file)) {
            return new CaIndex(List.of(), BigInteger.ZERO);
        }
        String text = new String(InputFiles.read(file, FIELD, "CA index", MAX_BYTES), StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        BigInteger number = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split(" ", -1);
            try {
                if (w.length == 2 && w[0].equals("crl-number") && number == null) {
                    number = new BigInteger(w[1], 10);
                    if (number.signum() < 0) {
                        throw new NumberFormatException();
                    }
                } else if (w.length == 4 && w[0].equals("revoked") && w[1].matches("[0-9a-f]{1,40}")) {
                    BigInteger serial = new BigInteger(w[1], 16);
                    if (entries.stream().anyMatch(e -> e.serial().equals(serial))) {
                        throw new NumberFormatException();
                    }
                    entries.add(new Entry(serial, Instant.parse(w[2]), RevocationReason.parse(w[3], FIELD)));
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException | DateTimeParseException | InvalidInputException e) {
                throw new InvalidInputException(FIELD, "The CA index " + file + " is not one tokenctl wrote (line "
                        + (i + 1) + ")");
            }
        }
        return new CaIndex(entries, number == null ? BigInteger.ZERO : number);
    }

    private String text() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("crl-number ").append(crlNumber).append('\n');
        for (Entry e : entries) {
            sb.append("revoked ").append(e.serial().toString(16).toLowerCase(Locale.ROOT)).append(' ')
                    .append(e.revoked()).append(' ').append(e.reason().asn1Name()).append('\n');
        }
        return sb.toString();
    }
}
