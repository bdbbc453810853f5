package io.hawkeye.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The composite keys Hawkeye builds from names it does not control (service, endpoint, caller, metric names):
 * keyed state, Kafka record keys and Elasticsearch document ids. Parts are joined with {@code |}; a {@code |} or a
 * {@code \} inside a part is escaped with a backslash, so service {@code a|b} with endpoint {@code c} and service
 * {@code a} with endpoint {@code b|c} can never share a key. Names without either character (all names in
 * practice) give the same key as a plain join, so keys of existing state are unchanged.
 *
 * <p>Elasticsearch rejects a document {@code _id} longer than 512 bytes, and one such document fails its whole bulk
 * request; {@link #documentId} keeps ids within {@value #MAX_DOCUMENT_ID_BYTES} bytes by replacing a longer one with
 * its first characters and a SHA-256 digest of the whole (still deterministic: the same record, the same id).
 */
public final class SeriesKeys {
    public static final char SEPARATOR = '|';
    public static final int MAX_DOCUMENT_ID_BYTES = 512;
    /** Bytes kept of a long id before its digest: readable, and 200 + 1 + 64 hex is far below the limit. */
    static final int KEPT_PREFIX_BYTES = 200;

    private SeriesKeys() {}

    /** The parts joined with {@code |}, each escaped. A null part is the text {@code null}, as string concat. */
    public static String join(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append(SEPARATOR);
            String p = String.valueOf(parts[i]);
            if (p.indexOf(SEPARATOR) < 0 && p.indexOf('\\') < 0) {
                sb.append(p);
                continue;
            }
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c == SEPARATOR || c == '\\') sb.append('\\');
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #join}: the unescaped parts. */
    public static List<String> split(String key) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int k = 0; k < key.length(); k++) {
            char c = key.charAt(k);
            if (c == '\\' && k + 1 < key.length()) {
                cur.append(key.charAt(++k));
            } else if (c == SEPARATOR) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** {@link #join} of the parts, as an Elasticsearch-safe document id (see the class comment). */
    public static String documentId(Object... parts) {
        String id = join(parts);
        if (id.length() * 3 <= MAX_DOCUMENT_ID_BYTES
                || id.getBytes(StandardCharsets.UTF_8).length <= MAX_DOCUMENT_ID_BYTES) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            // The longest prefix of at most KEPT_PREFIX_BYTES bytes of UTF-8, cut between code points.
            int cut = 0, bytes = 0;
            while (cut < id.length()) {
                int cp = id.codePointAt(cut);
                int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (bytes + n > KEPT_PREFIX_BYTES) break;
                bytes += n;
                cut += Character.charCount(cp);
            }
            return id.substring(0, cut) + "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
