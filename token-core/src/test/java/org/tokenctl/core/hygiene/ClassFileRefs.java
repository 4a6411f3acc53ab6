package org.tokenctl.core.hygiene;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a class file's constant pool (JVM spec 4.4): its method references, as
 * "owner.name:descriptor" strings, and its UTF-8 entries (every class name, descriptor
 * and signature the class mentions). Enough to know which methods and types a class
 * can use, without a bytecode library.
 */
final class ClassFileRefs {

    private ClassFileRefs() {
    }

    static Set<String> methodRefs(InputStream classFile) throws IOException {
        return read(classFile, false);
    }

    /**
     * @param classFile a class file
     * @return every UTF-8 constant: class names, member names, descriptors, signatures, string literals
     * @throws IOException if it is not a class file
     */
    static Set<String> utf8Constants(InputStream classFile) throws IOException {
        return read(classFile, true);
    }

    private static Set<String> read(InputStream classFile, boolean utf8) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[][] refs = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: // Utf8
                    pool[i] = in.readUTF();
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    pool[i] = new int[] {tag, in.readUnsignedShort()};
                    break;
                case 3: case 4: // Integer, Float
                    in.readInt();
                    break;
                case 5: case 6: // Long, Double take two slots
                    in.readLong();
                    i++;
                    break;
                case 9: case 10: case 11: case 12: case 17: case 18: // refs, NameAndType, Dynamic, InvokeDynamic
                    refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                    break;
                case 15: // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> out = new HashSet<>();
        if (utf8) {
            for (Object entry : pool) {
                if (entry instanceof String) {
                    out.add((String) entry);
                }
            }
            return out;
        }
        for (int i = 1; i < count; i++) {
            if (refs[i] != null && (refs[i][0] == 10 || refs[i][0] == 11)) {
                String owner = (String) pool[((int[]) pool[refs[i][1]])[1]];
                int[] nat = refs[refs[i][2]];
                out.add(owner + "." + pool[nat[1]] + ":" + pool[nat[2]]);
            }
        }
        return out;
    }
}
