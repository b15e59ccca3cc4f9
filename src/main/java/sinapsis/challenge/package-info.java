/**
 * Challenges for a class: the teacher's task with a target on rows held out of the data (the
 * students train on the rest and never see them), constraints and locks on what may be tried, a
 * deadline and a number of attempts; every run a student makes on it is an attempt, scored on the
 * held-out rows when it ends; their best attempt goes to the gradebook.
 */
package sinapsis.challenge;
