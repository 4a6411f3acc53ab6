package org.tokenctl.softhsm.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Token;
import org.xipki.pkcs11.wrapper.TokenInfo;

/**
 * Run in a child JVM by {@link XipkiWrapperTest}, whose environment names the emulator
 * config (a JVM cannot change its own environment). Loads the emulator through the xipki
 * JNI wrapper, as token-core does, and prints what it saw as {@code key=value} lines.
 *
 * <p>Arguments: emulator path, config file, second config (copied over the first between
 * two C_Initialize), threads, wrong logins per thread.
 */
public final class XipkiProbe {

  private XipkiProbe() {
  }

  public static void main(String[] args) throws Exception {
    String modulePath = args[0];
    Path conf = Path.of(args[1]);
    Path secondConf = Path.of(args[2]);
    int threads = Integer.parseInt(args[3]);
    int wrongEach = Integer.parseInt(args[4]);

    PKCS11Module module = PKCS11Module.getInstance(modulePath);
    // initialize() passes CKF_OS_LOCKING_OK: the threads below really run in parallel.
    module.initialize();
    Token token = module.getSlotList(true)[0].getToken();
    System.out.println("manufacturer=" + token.getTokenInfo().getManufacturerID());

    AtomicInteger incorrect = new AtomicInteger();
    List<String> unexpected = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          Session session = token.openSession(false);
          try {
            for (int i = 0; i < wrongEach; i++) {
              try {
                session.login(PKCS11Constants.CKU_USER, "00000000".toCharArray());
                synchronized (unexpected) {
                  unexpected.add("login succeeded");
                }
              } catch (PKCS11Exception e) {
                if (e.getErrorCode() == PKCS11Constants.CKR_PIN_INCORRECT) {
                  incorrect.incrementAndGet();
                } else {
                  synchronized (unexpected) {
                    unexpected.add(e.getErrorName());
                  }
                }
              }
            }
          } finally {
            session.closeSession();
          }
        } catch (PKCS11Exception e) {
          synchronized (unexpected) {
            unexpected.add(e.getErrorName());
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    TokenInfo info = token.getTokenInfo();
    System.out.println("incorrect=" + incorrect.get());
    System.out.println("unexpected=" + unexpected);
    System.out.println("countLow=" + info.hasFlagBit(PKCS11Constants.CKF_USER_PIN_COUNT_LOW));
    System.out.println("locked=" + info.hasFlagBit(PKCS11Constants.CKF_USER_PIN_LOCKED));
    module.finalize(null);

    // The config is read again at every C_Initialize.
    Files.copy(secondConf, conf, StandardCopyOption.REPLACE_EXISTING);
    module.initialize();
    Token again = module.getSlotList(true)[0].getToken();
    System.out.println("manufacturerAfterReinit=" + again.getTokenInfo().getManufacturerID());
    module.finalize(null);
  }
}
