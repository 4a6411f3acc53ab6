import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * What one signature costs the JDK's own providers (SunRsaSign, SunEC): the reference
 * bench/ca-key.sh holds a local CA's extra cost per certificate to. Run as a source file
 * (java bench/SignCost.java ROUNDS); prints "rsa2048 NS p256 NS", medians per signature.
 */
public final class SignCost {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        System.out.println("rsa2048 " + median(rsa.generateKeyPair(), "SHA256withRSA", rounds) + " p256 "
                + median(ec.generateKeyPair(), "SHA256withECDSA", rounds));
    }

    private static long median(KeyPair pair, String algorithm, int rounds) throws Exception {
        byte[] tbs = new byte[600];
        long[] ns = new long[rounds];
        for (int i = -rounds / 2; i < rounds; i++) {
            long start = System.nanoTime();
            Signature s = Signature.getInstance(algorithm);
            s.initSign(pair.getPrivate());
            s.update(tbs);
            s.sign();
            if (i >= 0) {
                ns[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(ns);
        return ns[rounds / 2];
    }
}
