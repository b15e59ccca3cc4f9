/**
 * The only package that imports ND4J and DL4J. It trains Dense networks with libnd4j's own
 * operations — {@code matmul}, the activations and their {@code *_bp} gradients, the losses and
 * their {@code *_grad} gradients, the {@code *_updater} optimizers — each bound once per run to
 * buffers that live across epochs ({@link sinapsis.training.nd4j.NativeCall},
 * {@link sinapsis.training.nd4j.BatchPass}). On the course's tiny data sets the per-operation
 * overhead of ND4J dominates, and preparing the operations once removes most of it. The same
 * classes' {@code IActivation}/{@code ILossFunction}/{@code IUpdater} configurations build DL4J's
 * {@code MultiLayerNetwork} as the reference: a test checks that both give the same losses from
 * identical initial weights, and the bench times both.
 */
package sinapsis.training.nd4j;
