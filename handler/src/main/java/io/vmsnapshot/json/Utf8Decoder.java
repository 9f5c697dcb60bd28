package io.vmsnapshot.json;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 to text (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF,
 * no cut sequences. {@code new String(bytes, UTF_8)} would put U+FFFD in place of a bad byte and
 * read on, so a damaged file would parse into a value that was never written; and a
 * {@code CharsetDecoder} reports no line and column. Hand-written, the first bad byte is an error at
 * the position of the character it would have started.
 */
final class Utf8Decoder {
    static final String NOT_UTF8 = "not valid UTF-8";

    private Utf8Decoder() {
    }

    static String decode(byte[] bytes) throws MalformedJsonException {
        int ascii = 0;
        while (ascii < bytes.length && bytes[ascii] >= 0) {
            ascii++;
        }
        if (ascii == bytes.length) {
            // The common case (the agent writes ASCII): Latin-1 copies the bytes into a compact string as they are.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[bytes.length]; // never more characters than bytes: 4 bytes make at most 2 chars
        for (int i = 0; i < ascii; i++) {
            chars[i] = (char) bytes[i];
        }
        int count = ascii;
        int i = ascii;
        while (i < bytes.length) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                chars[count++] = (char) lead;
                i++;
                continue;
            }
            int length;
            int codePoint;
            int smallest;
            if (lead >= 0xC2 && lead <= 0xDF) { // 0xC0 and 0xC1 could only start an overlong form
                length = 2;
                codePoint = lead & 0x1F;
                smallest = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                codePoint = lead & 0x0F;
                smallest = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                codePoint = lead & 0x07;
                smallest = 0x10000;
            } else {
                throw invalid(chars, count);
            }
            if (i + length > bytes.length) {
                throw invalid(chars, count);
            }
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    throw invalid(chars, count);
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < smallest || codePoint > Character.MAX_CODE_POINT
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                throw invalid(chars, count);
            }
            if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                chars[count++] = (char) codePoint;
            } else {
                chars[count++] = Character.highSurrogate(codePoint);
                chars[count++] = Character.lowSurrogate(codePoint);
            }
            i += length;
        }
        return new String(chars, 0, count);
    }

    private static MalformedJsonException invalid(char[] decoded, int count) {
        return TextPosition.error(NOT_UTF8, new String(decoded, 0, count), count);
    }
}
