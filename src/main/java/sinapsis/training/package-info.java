/**
 * The training service: a bounded queue of runs, one worker per core, their live state and epoch
 * history, standardisation and metrics. The maths happens behind {@link sinapsis.training.Trainer},
 * implemented in {@code training.nd4j}; nothing here imports ND4J or Javalin.
 */
package sinapsis.training;
