/** Benchmarks printed for the README: {@code java -cp target/sinapsis.jar sinapsis.bench.Bench}. */
package sinapsis.bench;
