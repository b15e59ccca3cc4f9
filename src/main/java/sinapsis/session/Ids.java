package sinapsis.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Ids of sessions and searches: 128 random bits, URL-safe base64 without padding (22 characters). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
