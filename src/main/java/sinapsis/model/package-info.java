/**
 * What a user chooses: the network, the training settings and where the data comes from.
 * Records here refuse bad values in their constructors, so a spec that exists is valid.
 * Only java.* is imported here.
 */
package sinapsis.model;
