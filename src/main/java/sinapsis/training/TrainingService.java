package sinapsis.training;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * Trains runs on a bounded pool of worker threads (one per core by default), first come first
 * served, never on a web thread. A queued run knows its position; a stopped queued run never starts.
 */
public final class TrainingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);
    private final Trainer trainer;
    private final LinkedList<TrainingRun> queue = new LinkedList<>();
    private final List<Thread> workers = new ArrayList<>();
    private boolean closed;

    public TrainingService(Trainer trainer, int workerCount) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("workers must be at least 1, found " + workerCount);
        }
        this.trainer = trainer;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::work, "trainer-" + (i + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    public int workerCount() {
        return workers.size();
    }

    public BackendInfo backend() {
        return trainer.backend();
    }

    /** The trained model from stored parameters. */
    public TrainedModel restore(NetworkSpec network, int inputs, List<LayerWeights> weights) {
        return trainer.restore(network, inputs, weights);
    }

    /**
     * Gradient descent step by step (see {@link Trainer#step}). Runs on the caller's thread: the
     * caller keeps it small (a few dozen parameters, a bounded number of steps).
     */
    public GradientStep step(TrainingJob job, int step) {
        return trainer.step(job, step);
    }

    /** Writes a trained network in the backend's own file format. */
    public void writeModel(NetworkSpec network, TrainingSpec settings, int inputs, List<LayerWeights> weights,
                           OutputStream out) throws IOException {
        trainer.writeModel(network, settings, inputs, weights, out);
    }

    public TrainingRun submit(Experiment experiment) {
        TrainingRun run = new TrainingRun(experiment);
        synchronized (queue) {
            if (closed) {
                throw new IllegalStateException("the training service is closed");
            }
            queue.addLast(run);
            queue.notifyAll();
        }
        return run;
    }

    /** 1 for the next run to start, 2 for the one after, …; 0 when the run is not waiting. */
    public int queuePosition(TrainingRun run) {
        synchronized (queue) {
            return queue.indexOf(run) + 1;
        }
    }

    /** Stops a run: a queued one is taken out of the queue, a running one ends after its current epoch. */
    public void stop(TrainingRun run) {
        run.requestStop();
        boolean removed;
        synchronized (queue) {
            removed = queue.remove(run);
        }
        if (removed) {
            run.execute(trainer);
        }
    }

    private void work() {
        while (true) {
            TrainingRun run;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                run = queue.removeFirst();
            }
            try {
                run.execute(trainer);
            } catch (RuntimeException e) {
                LOG.error("unexpected error in a training worker", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
            queue.forEach(TrainingRun::requestStop);
            queue.notifyAll();
        }
        workers.forEach(Thread::interrupt);
    }
}
