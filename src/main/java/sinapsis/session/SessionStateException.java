package sinapsis.session;

/** The session is not in a state that allows what was asked (e.g. re-running a run that is still going): a 409. */
public final class SessionStateException extends RuntimeException {
    private final String messageKey;
    private final transient Object[] arguments;

    public SessionStateException(String messageKey, Object... arguments) {
        super(messageKey);
        this.messageKey = messageKey;
        this.arguments = arguments.clone();
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] arguments() {
        return arguments.clone();
    }
}
