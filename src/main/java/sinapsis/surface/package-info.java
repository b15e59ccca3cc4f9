/**
 * What a network has learned over its input space: the decision surface or value map over two
 * inputs, the fitted curve over one, and each hidden unit's activation over the same grid —
 * computed by the run's own model, so every cell is what a prediction at that point answers.
 */
package sinapsis.surface;
