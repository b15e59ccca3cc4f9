package sinapsis.support;

import com.fasterxml.jackson.databind.ObjectMapper;

/** One shared mapper for tests. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
