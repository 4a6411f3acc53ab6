package org.tokenctl.softhsm;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh SoftHSM2 token directory.
 *
 * <p>Use it with {@code @ExtendWith(SoftHsmExtension.class)} and take a
 * {@link SoftHsmFixture} parameter in {@code @BeforeAll}, a constructor or a test.
 *
 * <p>SoftHSM finds its configuration through {@code SOFTHSM2_CONF}, read from the
 * environment of the process that loads the module. The build runs every test
 * class in its own JVM ({@code reuseForks=false}) with {@code SOFTHSM2_CONF} set to a
 * per-fork path (parent pom, surefire); this extension writes a configuration
 * there that points at a new, empty token directory. A second class in the same
 * JVM would see the first class's module state, so that is refused loudly rather
 * than silently sharing tokens.
 */
public final class SoftHsmExtension implements BeforeAllCallback, ParameterResolver {

    private static final AtomicReference<String> OWNER = new AtomicReference<>();
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SoftHsmExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture(context);
    }

    private static SoftHsmFixture fixture(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().isPresent() && classContext.getParent().get().getTestClass().isPresent()) {
            classContext = classContext.getParent().get();
        }
        String owner = classContext.getRequiredTestClass().getName();
        return classContext.getStore(NS).getOrComputeIfAbsent("fixture", k -> create(owner), SoftHsmFixture.class);
    }

    private static SoftHsmFixture create(String owner) {
        String previous = OWNER.compareAndExchange(null, owner);
        if (previous != null && !previous.equals(owner)) {
            throw new IllegalStateException("SoftHSM fixture already configured in this JVM for " + previous
                    + "; token tests need one JVM per test class (surefire reuseForks=false)");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        String emu = System.getenv(SoftHsmFixture.EMULATOR_CONF_ENV);
        if (conf == null || conf.isBlank() || emu == null || emu.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF and " + SoftHsmFixture.EMULATOR_CONF_ENV
                    + " must be set for the test JVM (the parent pom's surefire configuration sets them per fork);"
                    + " run the tests with Maven");
        }
        Path confFile = Path.of(conf).toAbsolutePath();
        String simpleName = owner.substring(owner.lastIndexOf('.') + 1);
        Path root = confFile.getParent().resolve(simpleName + "-" + ProcessHandle.current().pid());
        return SoftHsmFixture.create(root, confFile, Path.of(emu));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return parameterContext.getParameter().getType() == SoftHsmFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return fixture(extensionContext);
    }
}
