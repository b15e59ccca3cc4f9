/**
 * Code export: a session written as a runnable Keras, PyTorch or DL4J program — the data (inline
 * when small, else read from the CSV the session serves), the network, the loss, the optimizer,
 * the training loop and early stopping — so a student can take it to the course's notebooks.
 */
package sinapsis.codegen;
