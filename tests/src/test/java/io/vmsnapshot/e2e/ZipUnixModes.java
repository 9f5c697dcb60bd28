package io.vmsnapshot.e2e;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Unix mode of every entry of a zip, from the central directory's external attributes (which
 * java.util.zip does not expose). This is what tells a symlink entry from a file: the agent's
 * unzip would turn the former into a file holding the link target.
 */
final class ZipUnixModes {
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
    static final int TYPE_MASK = 0170000;
    static final int SYMLINK = 0120000;

    private ZipUnixModes() {
    }

    static Map<String, Integer> read(Path zip) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        int end = data.limit() - 22;
        while (end >= 0 && data.getInt(end) != END_OF_CENTRAL_DIRECTORY) {
            end--;
        }
        if (end < 0) {
            throw new IOException(zip + ": no end of central directory");
        }
        int count = Short.toUnsignedInt(data.getShort(end + 10));
        int offset = data.getInt(end + 16);
        Map<String, Integer> modes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (data.getInt(offset) != CENTRAL_DIRECTORY_ENTRY) {
                throw new IOException(zip + ": bad central directory entry at " + offset);
            }
            int nameLength = Short.toUnsignedInt(data.getShort(offset + 28));
            int extraLength = Short.toUnsignedInt(data.getShort(offset + 30));
            int commentLength = Short.toUnsignedInt(data.getShort(offset + 32));
            int externalAttributes = data.getInt(offset + 38);
            byte[] name = new byte[nameLength];
            data.get(offset + 46, name);
            modes.put(new String(name, java.nio.charset.StandardCharsets.UTF_8), externalAttributes >>> 16);
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return modes;
    }
}
