/**
 * The only package that imports ND4J and DL4J. It trains networks with libnd4j's own operations —
 * {@code matmul}, {@code conv2d}, {@code maxpool2d}, {@code xw_plus_b}, the activations, and their
 * {@code *_bp} gradients, the losses and their {@code *_grad} gradients, the {@code *_updater}
 * optimizers — each bound once per run to buffers that live across epochs
 * ({@link sinapsis.training.nd4j.NativeCall}) in a {@link sinapsis.training.nd4j.PreparedPass}, which
 * binds the output, the loss and its gradient for both kinds of network:
 * {@link sinapsis.training.nd4j.BatchPass} for Dense networks (one product a layer, biases folded
 * in), {@link sinapsis.training.nd4j.ConvPass} for networks with image layers (each layer kind a
 * {@link sinapsis.training.nd4j.LayerStep} binding its own forward and backward ops). One epoch
 * loop trains both ({@link sinapsis.training.nd4j.EpochLoop}: order, batches, updater, progress,
 * validation, early stopping, stop); each network kind only says how a batch gets into its passes
 * ({@code DensePasses} in {@link sinapsis.training.nd4j.Nd4jTrainer}, {@link sinapsis.training.nd4j.ConvPasses}). On the
 * course's tiny data sets the per-operation overhead of ND4J dominates, and preparing the
 * operations once removes most of it; on images one forward pass per batch serves the loss, the
 * accuracy and the backward pass. The same classes' {@code IActivation}/{@code ILossFunction}/
 * {@code IUpdater} configurations build DL4J's {@code MultiLayerNetwork} as the reference: tests
 * check that both give the same losses from identical initial weights, and the bench times both.
 */
package sinapsis.training.nd4j;
