package sinapsis.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 128 random bits, URL-safe base64 without padding (22 characters). */
final class SessionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {
    }

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
