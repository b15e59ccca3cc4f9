package sinapsis.training;

/** The compute backend: {@code CPU} or {@code CUDA}, and a human-readable device description. */
public record BackendInfo(String backend, String device) {
}
