package kindling.kernels;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The length of a method's bytecode, read from its class file: what the JIT compares with its inlining
 * limits. A test reads it to hold a kernel to the size that keeps it a compilation of its own.
 */
final class BytecodeSize {

    private BytecodeSize() {
    }

    /** The code length of {@code owner}'s method {@code name} with {@code descriptor}, e.g. "([F[FII)V". */
    static int of(Class<?> owner, String name, String descriptor) throws IOException {
        String file = owner.getSimpleName() + ".class";
        try (InputStream stream = owner.getResourceAsStream(file)) {
            if (stream == null) {
                throw new IOException("no class file " + file + " beside " + owner.getName());
            }
            DataInputStream in = new DataInputStream(stream);
            in.readInt();                                   // magic
            in.readUnsignedShort();                         // minor version
            in.readUnsignedShort();                         // major version
            String[] utf8 = readConstantPool(in);
            in.readUnsignedShort();                         // access flags
            in.readUnsignedShort();                         // this class
            in.readUnsignedShort();                         // super class
            skip(in, 2 * in.readUnsignedShort());           // interfaces
            int fields = in.readUnsignedShort();
            for (int f = 0; f < fields; f++) {
                skip(in, 6);
                skipAttributes(in);
            }
            int methods = in.readUnsignedShort();
            for (int m = 0; m < methods; m++) {
                in.readUnsignedShort();                     // access flags
                String methodName = utf8[in.readUnsignedShort()];
                String methodDescriptor = utf8[in.readUnsignedShort()];
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String attribute = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (attribute.equals("Code") && methodName.equals(name) && methodDescriptor.equals(descriptor)) {
                        in.readUnsignedShort();             // max stack
                        in.readUnsignedShort();             // max locals
                        return in.readInt();                // code length
                    }
                    skip(in, length);
                }
            }
            throw new IOException("no method " + name + descriptor + " in " + owner.getName());
        }
    }

    /** The constant pool's UTF-8 entries by index (other entries null), per the JVM specification, §4.4. */
    private static String[] readConstantPool(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> skip(in, 2);       // class, string, method type, module, package
                case 15 -> skip(in, 3);                     // method handle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(in, 4);
                case 5, 6 -> {                              // long and double take two entries
                    skip(in, 8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return utf8;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            skip(in, in.readInt());
        }
    }

    private static void skip(DataInputStream in, int bytes) throws IOException {
        in.readFully(new byte[bytes]);
    }
}
