package sinapsis.model;

import java.util.List;

/**
 * A user's choice that cannot be accepted. It names the field (a JSON path such as
 * {@code training.learningRate}) and a message key with its arguments, so the web layer can
 * say it in the user's language. {@link #getMessage()} gives an English fallback for logs.
 */
public final class InvalidSpecException extends IllegalArgumentException {
    private final String field;
    private final String messageKey;
    private final transient List<Object> arguments;

    public InvalidSpecException(String field, String messageKey, Object... arguments) {
        super(field + ": " + messageKey + " " + List.of(arguments));
        this.field = field;
        this.messageKey = messageKey;
        this.arguments = List.of(arguments);
    }

    public String field() {
        return field;
    }

    public String messageKey() {
        return messageKey;
    }

    public List<Object> arguments() {
        return arguments;
    }

    /** Rethrows with the field moved under a parent path, e.g. {@code units} → {@code network.layers[2].units}. */
    public InvalidSpecException under(String parent) {
        String path = field.isEmpty() ? parent : field.startsWith("[") ? parent + field : parent + "." + field;
        return new InvalidSpecException(path, messageKey, arguments.toArray());
    }
}
