package sinapsis.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import sinapsis.data.Problem;
import sinapsis.training.Experiment;
import sinapsis.training.Results;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun;

/**
 * One grid search: its combinations × folds, each a training run on the shared pool, scored on its
 * held-out fold once it ends. {@link SearchService} advances it; everyone else reads snapshots.
 * Either live (built from a request), restored from the store once over, or followed: run by
 * another node that shares the database, shown as the store has it (see {@link #follow}).
 */
public final class GridSearch {
    private static final int CURVE_POINTS = 200;

    private final String id;
    private final String ownerHash;
    private final long createdAt;
    private final List<String> paramNames;
    private final int folds;
    private final List<Combination> combinations;
    private final List<FoldRun> runs = new ArrayList<>();
    private final boolean classification;
    /** The request as stored (network, training, grid, folds; no pasted table): what every combination shares. */
    private final String requestJson;
    /** The refit session's name (in the language of whoever started the search); null after a restart. */
    private final String refitName;
    /** Whose space its pasted table counts in until it ends, and its refit session's after (null: no one's). */
    private final String space;
    private String status;
    private Integer best;
    private String bestSessionId;
    private List<CombinationResult> finalResults;
    private long finishedAt;
    /** A followed search not over yet: how it stands, as its holder last stored it (null: not yet). */
    private SearchSnapshot followed;

    /** A fold of a combination: its experiment (held-out rows last) and, once submitted, its run and score. */
    static final class FoldRun {
        final int combination;
        final int fold;
        final Experiment experiment;
        final int heldOut;
        TrainingRun run;
        Double score;
        boolean settled;

        FoldRun(int combination, int fold, Experiment experiment, int heldOut) {
            this.combination = combination;
            this.fold = fold;
            this.experiment = experiment;
            this.heldOut = heldOut;
        }
    }

    GridSearch(String id, String ownerHash, long createdAt, SearchRequest request, List<Experiment> experiments,
               String refitName, String space) {
        this.id = id;
        this.requestJson = request.requestJson();
        this.refitName = refitName;
        this.space = space;
        this.ownerHash = ownerHash;
        this.createdAt = createdAt;
        this.paramNames = request.paramNames();
        this.folds = request.folds();
        this.combinations = request.combinations();
        this.classification = experiments.get(0).problem().isClassification();
        this.status = "queued";
        // combinations on the same problem share its folds (each a reordering of the same rows)
        Map<Problem, Problem[]> foldsOfProblem = new java.util.IdentityHashMap<>();
        for (int c = 0; c < experiments.size(); c++) {
            Experiment whole = experiments.get(c);
            int[][] bounds = Folds.bounds(whole.problem().rows(), folds);
            Problem[] foldProblems = foldsOfProblem.computeIfAbsent(whole.problem(), p -> new Problem[folds]);
            for (int f = 0; f < folds; f++) {
                if (foldProblems[f] == null) {
                    foldProblems[f] = Folds.heldOutLast(whole.problem(), bounds[f][0], bounds[f][1]);
                }
                Problem problem = foldProblems[f];
                int heldOut = bounds[f][1] - bounds[f][0];
                // folds are scored, not watched: at full speed whatever pace the spec asks for
                runs.add(new FoldRun(c, f, new Experiment(problem, whole.network(), whole.training().withPace(0),
                        heldOut), heldOut));
            }
        }
    }

    /** A search that is over, as stored. */
    GridSearch(String id, String ownerHash, long createdAt, long finishedAt, List<String> paramNames, int folds,
               boolean classification, String status, List<CombinationResult> results, String bestSessionId,
               String requestJson) {
        this.id = id;
        this.requestJson = requestJson;
        this.refitName = null;
        this.space = null;
        this.ownerHash = ownerHash;
        this.createdAt = createdAt;
        this.finishedAt = finishedAt;
        this.paramNames = List.copyOf(paramNames);
        this.folds = folds;
        this.combinations = List.of();
        this.classification = classification;
        this.status = status;
        this.finalResults = results == null ? List.of() : List.copyOf(results);
        this.bestSessionId = bestSessionId;
        this.best = bestOf(finalResults);
    }

    /** The first combination ranked 1, or null. */
    private static Integer bestOf(List<CombinationResult> results) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).rank() == 1) {
                return i;
            }
        }
        return null;
    }

    /**
     * A followed search takes the store's state: while it goes on, its status and how its holder last
     * said it stands ({@code progress}; null: keep the last); once over, its results and refit session.
     */
    synchronized void follow(String storedStatus, SearchSnapshot progress, List<CombinationResult> results,
                             String refitSessionId, long endedAt) {
        status = storedStatus;
        if (isOver()) {
            followed = null;
            finalResults = results == null ? List.of() : List.copyOf(results);
            best = bestOf(finalResults);
            bestSessionId = refitSessionId;
            finishedAt = endedAt;
        } else if (progress != null) {
            followed = progress;
        }
    }

    public String requestJson() {
        return requestJson;
    }

    String refitName() {
        return refitName;
    }

    String space() {
        return space;
    }

    public String id() {
        return id;
    }

    public String ownerHash() {
        return ownerHash;
    }

    public long createdAt() {
        return createdAt;
    }

    public synchronized long finishedAt() {
        return finishedAt;
    }

    public List<String> paramNames() {
        return paramNames;
    }

    public int folds() {
        return folds;
    }

    public synchronized boolean isOver() {
        return !status.equals("queued") && !status.equals("running");
    }

    List<FoldRun> runs() {
        return runs;
    }

    List<Combination> combinations() {
        return combinations;
    }

    synchronized String status() {
        return status;
    }

    synchronized void setStatus(String next) {
        status = next;
    }

    /** Ends the search: freezes the results and the best combination (null when every combination failed). */
    synchronized void finish(String outcome, Integer bestIndex, String refitSessionId) {
        best = bestIndex;
        bestSessionId = refitSessionId;
        status = outcome;
        finishedAt = System.currentTimeMillis();
        finalResults = results(true);
        runs.clear(); // the folds' data, runs and models: the results above are all that is kept
    }

    public synchronized SearchSnapshot snapshot() {
        if (followed != null) {
            return new SearchSnapshot(status, followed.scoring(), followed.runsDone(), followed.runsTotal(),
                    followed.results(), null, null);
        }
        int done = 0;
        for (FoldRun run : runs) {
            done += run.settled ? 1 : 0;
        }
        List<CombinationResult> results = finalResults != null ? finalResults : results(false);
        int total = finalResults != null && runs.isEmpty() ? results.size() * folds : runs.size();
        if (runs.isEmpty()) {
            done = total;
        }
        return new SearchSnapshot(status, classification ? "accuracy" : "neg_mean_squared_error", done, total,
                results, best, bestSessionId);
    }

    /** Mean and standard deviation of each combination's scored folds; ranks once every fold is in. */
    private List<CombinationResult> results(boolean ranked) {
        List<CombinationResult> results = new ArrayList<>();
        double[] means = new double[combinations.size()];
        for (int c = 0; c < combinations.size(); c++) {
            List<Double> scores = new ArrayList<>();
            boolean anyStarted = false;
            boolean allSettled = true;
            double sum = 0;
            int scored = 0;
            for (FoldRun run : foldsOf(c)) {
                scores.add(run.score);
                anyStarted |= run.run != null;
                allSettled &= run.settled;
                if (run.score != null) {
                    sum += run.score;
                    scored++;
                }
            }
            Double mean = scored == 0 ? null : sum / scored;
            Double std = null;
            if (mean != null) {
                double squares = 0;
                for (Double score : scores) {
                    if (score != null) {
                        squares += (score - mean) * (score - mean);
                    }
                }
                std = Math.sqrt(squares / scored);
            }
            means[c] = allSettled && scored == folds ? mean : Double.NaN;
            String state = allSettled ? (scored == folds ? "done" : "failed") : anyStarted ? "running" : "queued";
            results.add(new CombinationResult(combinations.get(c).params(), scores, mean, std, 0, state,
                    curve(foldsOf(c).get(0).run)));
        }
        if (!ranked) {
            return results;
        }
        List<CombinationResult> withRanks = new ArrayList<>();
        for (int c = 0; c < results.size(); c++) {
            CombinationResult r = results.get(c);
            withRanks.add(new CombinationResult(r.params(), r.scores(), r.meanScore(), r.stdScore(),
                    rank(means, c), r.status(), r.curve()));
        }
        return withRanks;
    }

    /** scikit-learn's rank_test_score: 1 + how many score strictly better; failed combinations last. */
    private static int rank(double[] means, int c) {
        int better = 0;
        for (double other : means) {
            if (Double.isNaN(means[c]) ? !Double.isNaN(other) : other > means[c]) {
                better++;
            }
        }
        return better + 1;
    }

    List<FoldRun> foldsOf(int combination) {
        return runs.subList(combination * folds, (combination + 1) * folds);
    }

    private static double[][] curve(TrainingRun run) {
        if (run == null) {
            return new double[0][];
        }
        return run.thinned(CURVE_POINTS).stream().map(e -> new double[] {e.epoch(), e.loss()})
                .toArray(double[][]::new);
    }

    /**
     * Scores a finished fold on its held-out rows, in original units: the negative mean squared error
     * over every output (regression) or the accuracy (classification); null when the run did not finish.
     */
    static Double score(FoldRun fold) {
        TrainingRun run = fold.run;
        if (run.status() != RunStatus.FINISHED || run.model() == null) {
            return null;
        }
        Problem problem = fold.experiment.problem();
        int from = problem.rows() - fold.heldOut;
        double[][] x = Arrays.copyOfRange(problem.x(), from, problem.rows());
        double[][] y = Arrays.copyOfRange(problem.y(), from, problem.rows());
        double[][] predicted = run.predict(x);
        if (problem.isClassification()) {
            int correct = 0;
            for (int r = 0; r < y.length; r++) {
                correct += Results.classIndex(y[r]) == Results.classIndex(predicted[r]) ? 1 : 0;
            }
            return correct / (double) y.length;
        }
        double squared = 0;
        int count = 0;
        for (int r = 0; r < y.length; r++) {
            for (int c = 0; c < y[r].length; c++) {
                double error = y[r][c] - predicted[r][c];
                squared += error * error;
                count++;
            }
        }
        double score = -squared / count;
        return Double.isFinite(score) ? score : null;
    }

    /** The values of the best combination, or null. */
    public synchronized Map<String, Object> bestParams() {
        SearchSnapshot snapshot = snapshot();
        return best == null ? null : snapshot.results().get(best).params();
    }
}
