package io.vmsnapshot.e2e.storage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shared-key SAS tokens for Azurite's well-known development account, signed as Azure Storage
 * does for versions 2020-12-06 and later (HMAC-SHA256 of the newline-joined fields, base64).
 * The values are signed as written and URL-encoded only in the query.
 */
final class DevStoreSas {
    static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's published development key; not a secret. */
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    static final String VERSION = "2021-08-06";

    private DevStoreSas() {
    }

    /** A service SAS for one blob ({@code sr=b}), e.g. permissions {@code "rw"} for snapshots. */
    static String blobSas(String container, String blob, String permissions, Instant expiry) {
        String se = format(expiry);
        String stringToSign = String.join("\n",
                permissions, "", se, "/blob/" + ACCOUNT + "/" + container + "/" + blob,
                "", "", "", VERSION, "b", "", "", "", "", "", "", "");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("sv", VERSION);
        query.put("sr", "b");
        query.put("sp", permissions);
        query.put("se", se);
        query.put("sig", sign(stringToSign));
        return encode(query);
    }

    /** An account SAS for the blob service, all resource types; what the fixture itself uses. */
    static String accountSas(String permissions, Instant expiry) {
        String se = format(expiry);
        String stringToSign = String.join("\n", ACCOUNT, permissions, "b", "sco", "", se, "", "", VERSION, "", "");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("sv", VERSION);
        query.put("ss", "b");
        query.put("srt", "sco");
        query.put("sp", permissions);
        query.put("se", se);
        query.put("sig", sign(stringToSign));
        return encode(query);
    }

    private static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
