package sinapsis.web;

/**
 * The answer to making a session or a search ({@code 201}): where it is, the token that owns it
 * (also set as a cookie, see {@link Ownership}) and its status.
 */
record Created(String id, String url, String ownerToken, String status) {
}
