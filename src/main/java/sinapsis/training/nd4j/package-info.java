/**
 * The only package that imports ND4J and DL4J. It trains Dense networks with the library's own
 * activation ({@code IActivation.backprop}), loss ({@code ILossFunction.computeGradientAndScore})
 * and updater ({@code GradientUpdater}) classes, composed into a lean loop that keeps every buffer
 * between epochs: on the course's tiny data sets ND4J's per-operation overhead dominates, and this
 * path issues a fraction of the operations {@code MultiLayerNetwork} does. A test checks that it
 * matches {@code MultiLayerNetwork} on identical initial weights.
 */
package sinapsis.training.nd4j;
