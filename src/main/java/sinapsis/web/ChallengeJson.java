package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sinapsis.challenge.ChallengeDefinition;
import sinapsis.challenge.ChallengeService;
import sinapsis.challenge.ChallengeService.Attempt;
import sinapsis.challenge.ChallengeService.Challenge;
import sinapsis.challenge.ChallengeService.Standing;
import sinapsis.json.Json;

/**
 * Challenges as the teacher and as a student see them. Nothing here holds a held-out row: the
 * spec is the training part, and the held-out rows are only counted.
 */
final class ChallengeJson {
    /** The challenge as set: both languages' texts, the starting configuration, target, rules. */
    record Definition(String id, String classCode, String url, String state, String title, String instructions,
                      JsonNode titles, JsonNode instructionsByLanguage, @JsonInclude(Include.NON_NULL) JsonNode spec,
                      List<String> locked,
                      JsonNode target, JsonNode constraints, Long deadline, Integer attempts, double testFraction,
                      @JsonInclude(Include.NON_NULL) Long seed, String dataset, int trainRows, int heldOutRows,
                      boolean testSplit, long createdAt, long updatedAt) {
        /**
         * As the teacher sees it: with the seed the held-out rows were cut by, without the starting
         * spec (the session it came from has it; a view read every few seconds should not carry a table).
         */
        static Definition of(Challenge challenge, Locale locale) {
            return of(challenge, locale, true, false);
        }

        /**
         * As a student sees it: the seed left out (with the whole data set, it would tell the
         * held-out rows); the starting spec, the training part, only when {@code withSpec} (the
         * trainer asks for it once, to start an attempt).
         */
        static Definition forStudent(Challenge challenge, Locale locale, boolean withSpec) {
            return of(challenge, locale, false, withSpec);
        }

        private static Definition of(Challenge challenge, Locale locale, boolean withSeed, boolean withSpec) {
            ChallengeDefinition d = challenge.definition();
            String code = challenge.row().classCode();
            return new Definition(challenge.id(), code, "/classes/" + code + "/challenges/" + challenge.id(),
                    challenge.state(), d.title().in(locale), d.instructions().in(locale), d.title().toJson(),
                    d.instructions().toJson(), withSpec ? d.spec() : null, d.locked(), d.target().toJson(),
                    d.constraints().toJson(),
                    d.deadline(), d.attempts(), d.testFraction(), withSeed ? d.seed() : null, d.dataset(),
                    challenge.row().trainRows(),
                    challenge.row().heldOutRows(), d.heldOutIsTestSplit(), challenge.row().createdAt(),
                    challenge.row().updatedAt());
        }
    }

    /** One attempt: its session, state, and its score against the target once it is scored. */
    record AttemptView(String sessionId, String url, String state, long startedAt, Long endedAt,
                       @JsonInclude(Include.NON_NULL) Double score, @JsonInclude(Include.NON_NULL) Boolean met,
                       @JsonInclude(Include.NON_NULL) Double margin, @JsonInclude(Include.NON_NULL) Integer epochs,
                       @JsonInclude(Include.NON_NULL) JsonNode metrics, @JsonInclude(Include.NON_NULL) JsonNode curve) {
        static AttemptView of(Attempt attempt, boolean withCurve) {
            var row = attempt.row();
            return new AttemptView(row.sessionId(), "/s/" + row.sessionId(), row.state(), row.startedAt(),
                    row.endedAt(), attempt.score(), attempt.met(), attempt.margin(), row.epochs(),
                    parse(row.metrics()), withCurve ? parse(row.curve()) : null);
        }
    }

    /** A student's line on the teacher's challenge view (and in the gradebook). */
    record StudentResult(String id, String name, int attemptsUsed, boolean going, boolean met,
                         @JsonInclude(Include.NON_NULL) AttemptView best) {
        static StudentResult of(Standing standing) {
            Attempt best = standing.best();
            return new StudentResult(standing.student().id(), standing.student().name(), standing.attemptsUsed(),
                    standing.going(), best != null && Boolean.TRUE.equals(best.met()),
                    best == null ? null : AttemptView.of(best, true));
        }
    }

    /** The teacher's view: the challenge and every student's standing. */
    record TeacherView(String role, Definition challenge, List<StudentResult> students, int tried, int met) {
    }

    /** What a student sees: the challenge (training part only), their own attempts, whether they may try now. */
    record StudentView(String role, Definition challenge, int attemptsUsed,
                       @JsonInclude(Include.NON_NULL) Integer attemptsLeft, boolean canAttempt,
                       @JsonInclude(Include.NON_NULL) String whyNot, List<AttemptView> attempts,
                       @JsonInclude(Include.NON_NULL) AttemptView best) {
    }

    /** A challenge session's banner: the challenge and this session's latest attempt. */
    record SessionChallenge(Definition challenge, @JsonInclude(Include.NON_NULL) AttemptView attempt) {
    }

    /** A line of the class's list of challenges. */
    record Listed(Definition challenge, int tried, int met) {
    }

    private ChallengeJson() {
    }

    static TeacherView teacher(Challenge challenge, List<Standing> standings, Locale locale) {
        List<StudentResult> students = standings.stream().map(StudentResult::of).toList();
        return new TeacherView("teacher", Definition.of(challenge, locale), students,
                (int) students.stream().filter(s -> s.attemptsUsed() > 0).count(),
                (int) students.stream().filter(StudentResult::met).count());
    }

    static StudentView student(Challenge challenge, Standing standing, String whyNot, Locale locale,
                               boolean withSpec) {
        Integer allowed = challenge.definition().attempts();
        List<AttemptView> attempts = new ArrayList<>();
        standing.attempts().forEach(a -> attempts.add(AttemptView.of(a, false)));
        return new StudentView("student", Definition.forStudent(challenge, locale, withSpec), standing.attemptsUsed(),
                allowed == null ? null : Math.max(0, allowed - standing.attemptsUsed()), whyNot == null, whyNot,
                attempts, standing.best() == null ? null : AttemptView.of(standing.best(), true));
    }

    private static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored attempt's JSON does not read", e);
        }
    }
}
