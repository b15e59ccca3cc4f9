/**
 * Hosting a class: a teacher's class with a short join code and a secret teacher token, students
 * who join with the code and a display name (no accounts), the sessions they make, the teacher's
 * board, and the throttle that keeps join codes from being guessed.
 */
package sinapsis.classroom;
