package sinapsis.web;

/** An error answered as {@code {"error": {"field": …, "message": …}}} with the given status. */
final class ApiError extends RuntimeException {
    private final int status;
    private final String field;
    private final String messageKey;
    private final transient Object[] arguments;

    ApiError(int status, String field, String messageKey, Object... arguments) {
        super(messageKey);
        this.status = status;
        this.field = field;
        this.messageKey = messageKey;
        this.arguments = arguments;
    }

    static ApiError notFound() {
        return new ApiError(404, null, "error.sessionNotFound");
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }

    String messageKey() {
        return messageKey;
    }

    Object[] arguments() {
        return arguments;
    }
}
