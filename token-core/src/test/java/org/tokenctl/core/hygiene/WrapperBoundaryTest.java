package org.tokenctl.core.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tokenctl.core.module.Pkcs11Module;

/**
 * token-core's API speaks in its own types: the PKCS#11 wrapper (xipki's build of the
 * IAIK wrapper) is an implementation detail of the {@code module} package. Two checks on
 * the compiled classes: no public or protected signature of a public type names a
 * wrapper type, and no class outside {@code module} refers to the wrapper at all.
 */
class WrapperBoundaryTest {

    private static final String MODULE_PACKAGE = "org/tokenctl/core/module/";
    private static final List<String> WRAPPER = List.of("org.xipki.", "iaik.");

    private static Path classes;
    private static List<String> names;

    @BeforeAll
    static void scan() throws Exception {
        classes = Path.of(Pkcs11Module.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('\\', '/').replaceAll("\\.class$", ""))
                    .sorted().toList();
        }
        assertTrue(names.size() > 100, "scanned the compiled classes of token-core (" + names.size() + ")");
    }

    @Test
    void noPublicSignatureNamesAWrapperType() throws Exception {
        Map<String, String> offenders = new TreeMap<>();
        for (String name : names) {
            Class<?> c = Class.forName(name.replace('/', '.'), false, getClass().getClassLoader());
            if (!visible(c)) {
                continue;
            }
            List<Type> types = new ArrayList<>();
            types.add(c.getGenericSuperclass());
            types.addAll(List.of(c.getGenericInterfaces()));
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    types.add(f.getGenericType());
                }
            }
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
            members.addAll(List.<Constructor<?>>of(c.getDeclaredConstructors()));
            for (Executable m : members) {
                if (!visible(m.getModifiers()) || m.isSynthetic()) {
                    continue;
                }
                types.addAll(List.of(m.getGenericParameterTypes()));
                types.addAll(List.of(m.getGenericExceptionTypes()));
                if (m instanceof Method) {
                    types.add(((Method) m).getGenericReturnType());
                }
            }
            for (Type t : types) {
                if (t != null && isWrapper(t.getTypeName())) {
                    offenders.put(c.getName(), t.getTypeName());
                }
            }
        }
        assertEquals(Map.of(), offenders, "public API that exposes a wrapper type");
    }

    @Test
    void onlyTheModulePackageUsesTheWrapper() throws Exception {
        Map<String, String> offenders = new TreeMap<>();
        int inModule = 0;
        for (String name : names) {
            boolean module = name.startsWith(MODULE_PACKAGE) && name.indexOf('/', MODULE_PACKAGE.length()) < 0;
            try (InputStream in = Files.newInputStream(classes.resolve(name + ".class"))) {
                for (String constant : ClassFileRefs.utf8Constants(in)) {
                    if (isWrapper(constant.replace('/', '.'))) {
                        if (module) {
                            inModule++;
                        } else {
                            offenders.putIfAbsent(name, constant);
                        }
                    }
                }
            }
        }
        assertTrue(inModule > 0, "the scan sees the module package's own use of the wrapper");
        assertEquals(Map.of(), offenders, "classes outside org.tokenctl.core.module that refer to the wrapper");
    }

    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isWrapper(String typeName) {
        for (String prefix : WRAPPER) {
            if (typeName.startsWith(prefix) || typeName.contains("L" + prefix) || typeName.contains("<" + prefix)
                    || typeName.contains(" " + prefix)) {
                return true;
            }
        }
        return false;
    }
}
