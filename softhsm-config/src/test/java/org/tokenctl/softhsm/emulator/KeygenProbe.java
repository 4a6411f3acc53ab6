package org.tokenctl.softhsm.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.KeyPairTemplate;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11KeyPair;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;

/**
 * Run in a child JVM by {@link KeygenIgnoreTest}. For each config file in turn (copied
 * over the emulator's config, then C_Initialize), generates an EC P-256 key pair through
 * the xipki JNI wrapper with the template token-core uses, which says every protective
 * value explicitly (pkcs11-tool cannot say CKA_DECRYPT or CKA_UNWRAP false), and prints
 * what the private key reports as {@code <config name>.<attribute>=<value>} lines.
 *
 * <p>Arguments: emulator path, config file, user PIN, then the config files to apply.
 */
public final class KeygenProbe {

  private static final byte[] P256 = HexFormat.of().parseHex("06082a8648ce3d030107");

  private KeygenProbe() {
  }

  public static void main(String[] args) throws Exception {
    PKCS11Module module = PKCS11Module.getInstance(args[0]);
    Path conf = Path.of(args[1]);
    char[] pin = args[2].toCharArray();
    for (int i = 3; i < args.length; i++) {
      Path config = Path.of(args[i]);
      String name = config.getFileName().toString();
      Files.copy(config, conf, StandardCopyOption.REPLACE_EXISTING);
      module.initialize();
      try {
        Session session = module.getSlotList(true)[0].getToken().openSession(true);
        session.login(PKCS11Constants.CKU_USER, pin);
        AttributeVector priv = AttributeVector.newPrivateKey(PKCS11Constants.CKK_EC).token(true)
            .private_(true).sensitive(true).extractable(false).sign(true).decrypt(false).unwrap(false)
            .derive(false).label(name);
        AttributeVector pub = AttributeVector.newPublicKey(PKCS11Constants.CKK_EC).token(true)
            .verify(true).ecParams(P256).label(name);
        PKCS11KeyPair pair = session.generateKeyPair(
            new Mechanism(PKCS11Constants.CKM_EC_KEY_PAIR_GEN), new KeyPairTemplate(priv, pub));
        AttributeVector got = session.getAttrValues(pair.getPrivateKey(), PKCS11Constants.CKA_SENSITIVE,
            PKCS11Constants.CKA_EXTRACTABLE, PKCS11Constants.CKA_DECRYPT, PKCS11Constants.CKA_UNWRAP,
            PKCS11Constants.CKA_DERIVE, PKCS11Constants.CKA_SIGN);
        System.out.println(name + ".CKA_SENSITIVE=" + got.sensitive());
        System.out.println(name + ".CKA_EXTRACTABLE=" + got.extractable());
        System.out.println(name + ".CKA_DECRYPT=" + got.decrypt());
        System.out.println(name + ".CKA_UNWRAP=" + got.unwrap());
        System.out.println(name + ".CKA_DERIVE=" + got.derive());
        System.out.println(name + ".CKA_SIGN=" + got.sign());
        session.logout();
        session.closeSession();
      } finally {
        module.finalize(null);
      }
    }
  }
}
