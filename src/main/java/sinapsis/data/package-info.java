/**
 * Data: parsing pasted tables (comma, semicolon or tab separated; Spanish decimal commas),
 * the built-in data sets and their seeded generators, and turning a table plus a column choice
 * into the numeric problem a trainer sees (one-hot classes included). No ND4J, no web.
 */
package sinapsis.data;
