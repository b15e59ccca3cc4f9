package sinapsis.training;

/** {@code y = weight·x + bias} in original units, for a single linear neuron with one input and one output. */
public record Equation(double weight, double bias) {
}
