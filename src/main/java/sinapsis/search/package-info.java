/**
 * Grid search with k-fold cross-validation, as scikit-learn's {@code GridSearchCV(cv=k, refit=True)}
 * runs it on a Keras model: every combination of the listed values is trained on k−1 folds and
 * scored on the held-out one, on the shared training pool; the best is then trained on all the
 * data as an ordinary session.
 */
package sinapsis.search;
