package org.tokenctl.core.module;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Checks, before the JNI layer sees it, that an ELF file is a shared library for
 * this JVM's architecture that exports {@code C_GetFunctionList}.
 *
 * <p>Why: the wrapper's native {@code connect()} crashes the JVM (it passes a
 * stale {@code dlerror()} pointer to {@code ThrowNew}) when a library loads but
 * lacks {@code C_GetFunctionList}. Reading the dynamic symbol table ourselves
 * (System V gABI, "Symbol Table") turns that into an ordinary error. Files that
 * are not ELF (macOS, Windows) are left to the loader.
 */
final class ElfCheck {

    /** The verdict: null reason means "go ahead". */
    record Result(ModuleLoadException.Reason reason, String detail) {
        static final Result OK = new Result(null, null);
    }

    private static final int SHT_DYNSYM = 11;
    private static final int ET_DYN = 3;
    private static final String ENTRY_POINT = "C_GetFunctionList";
    /** e_machine values (ELF gABI) for the architectures the wrapper ships a JNI library for. */
    private static final Map<String, Integer> MACHINES = Map.of(
            "amd64", 62, "x86_64", 62, "aarch64", 183, "arm", 40, "x86", 3, "i386", 3, "i686", 3);

    private ElfCheck() {
    }

    static Result check(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = read(ch, 0, (int) Math.min(64, size));
            if (head.limit() < 16 || head.getInt(0) != 0x7F454C46) {
                boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
                return linux ? new Result(ModuleLoadException.Reason.NOT_A_LIBRARY, "not an ELF file") : Result.OK;
            }
            boolean is64 = head.get(4) == 2;
            head.order(head.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            String model = System.getProperty("sun.arch.data.model", "64");
            if (is64 != model.equals("64")) {
                return new Result(ModuleLoadException.Reason.WRONG_ARCHITECTURE, (is64 ? "64" : "32")
                        + "-bit library in a " + model + "-bit JVM");
            }
            if (head.limit() < (is64 ? 64 : 52)) {
                return new Result(ModuleLoadException.Reason.NOT_A_LIBRARY, "truncated ELF header");
            }
            int type = head.getShort(16) & 0xFFFF;
            int machine = head.getShort(18) & 0xFFFF;
            Integer expected = MACHINES.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
            if (expected != null && machine != expected) {
                return new Result(ModuleLoadException.Reason.WRONG_ARCHITECTURE, "ELF machine " + machine
                        + ", this JVM is " + System.getProperty("os.arch"));
            }
            if (type != ET_DYN) {
                return new Result(ModuleLoadException.Reason.NOT_A_LIBRARY, "ELF file is not a shared object");
            }
            return exportsEntryPoint(ch, head, is64, size);
        } catch (IOException | RuntimeException e) {
            // unreadable oddities are left to the loader, which reports them itself
            return Result.OK;
        }
    }

    private static Result exportsEntryPoint(FileChannel ch, ByteBuffer h, boolean is64, long size) throws IOException {
        long shoff = is64 ? h.getLong(40) : h.getInt(32) & 0xFFFFFFFFL;
        int shentsize = h.getShort(is64 ? 58 : 46) & 0xFFFF;
        int shnum = h.getShort(is64 ? 60 : 48) & 0xFFFF;
        if (shoff == 0 || shnum == 0 || shoff + (long) shentsize * shnum > size) {
            return Result.OK; // section headers stripped: cannot tell, let the loader try
        }
        ByteBuffer sh = read(ch, shoff, shentsize * shnum).order(h.order());
        for (int i = 0; i < shnum; i++) {
            int base = i * shentsize;
            if (sh.getInt(base + 4) != SHT_DYNSYM) {
                continue;
            }
            long symOff = is64 ? sh.getLong(base + 24) : sh.getInt(base + 16) & 0xFFFFFFFFL;
            long symSize = is64 ? sh.getLong(base + 32) : sh.getInt(base + 20) & 0xFFFFFFFFL;
            int link = sh.getInt(base + (is64 ? 40 : 24));
            long entSize = is64 ? sh.getLong(base + 56) : sh.getInt(base + 36) & 0xFFFFFFFFL;
            int strBase = link * shentsize;
            long strOff = is64 ? sh.getLong(strBase + 24) : sh.getInt(strBase + 16) & 0xFFFFFFFFL;
            long strSize = is64 ? sh.getLong(strBase + 32) : sh.getInt(strBase + 20) & 0xFFFFFFFFL;
            if (entSize == 0 || symOff + symSize > size || strOff + strSize > size || symSize > Integer.MAX_VALUE
                    || strSize > Integer.MAX_VALUE) {
                return Result.OK;
            }
            ByteBuffer syms = read(ch, symOff, (int) symSize).order(h.order());
            ByteBuffer strs = read(ch, strOff, (int) strSize);
            byte[] wanted = ENTRY_POINT.getBytes(StandardCharsets.US_ASCII);
            for (long s = 0; s + entSize <= symSize; s += entSize) {
                int name = syms.getInt((int) s);
                int shndx = syms.getShort((int) s + (is64 ? 6 : 14)) & 0xFFFF;
                if (shndx != 0 && nameIs(strs, name, wanted)) {
                    return Result.OK;
                }
            }
            return new Result(ModuleLoadException.Reason.NOT_PKCS11, null);
        }
        return new Result(ModuleLoadException.Reason.NOT_PKCS11, "no dynamic symbol table");
    }

    private static boolean nameIs(ByteBuffer strs, int at, byte[] wanted) {
        if (at < 0 || at + wanted.length >= strs.limit()) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (strs.get(at + i) != wanted[i]) {
                return false;
            }
        }
        return strs.get(at + wanted.length) == 0;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                break;
            }
        }
        b.flip();
        return b;
    }
}
