package sinapsis.session;

import sinapsis.data.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Owner tokens: 256 random bits, URL-safe. Only their SHA-256 is stored; a token is long and
 * random, so a fast hash is enough (there is no small space of guesses to try).
 */
public final class OwnerTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerTokens() {
    }

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        return Hashes.sha256(token);
    }

    /** Whether the token's hash is {@code storedHash}, compared in constant time. */
    public static boolean matches(String token, String storedHash) {
        if (token == null || token.isEmpty() || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
