/* test_score.c: unit tests for score.c, the scoreboard and its /metrics text. */
/* checks: 19 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "route.h"
#include "score.h"
#include "unit.h"

static struct buf	 text;

/* The /metrics text now, with snapshot id as given. */
static const char *
metrics(const char *id)
{
	buf_reset(&text);
	if (score_text(&text, id, 0) == -1)
		return "";
	return text.data;
}

static int
has(const char *line)
{
	return strstr(metrics("x"), line) != NULL;
}

static void
test_counts(void)
{
	char	 uri[SCORE_MAX_URI];

	UNIT_CHECK(score_text(&text, "x", 0) == -1, "no board, no text");
	UNIT_CHECK(score_open() == 0, "the board maps");
	score_attach(3);
	score_begin("/cases/");
	UNIT_CHECK(score_busy_ms(3, score_now_ms() + 7, uri, sizeof(uri)) >= 7 &&
	    strcmp(uri, "/cases/") == 0, "a request in hand is seen, with its address");
	score_end(ROUTE_CASES, 200, 1000, 400);
	score_accept();
	UNIT_CHECK(score_busy_ms(3, score_now_ms() + 7, uri, sizeof(uri)) >= 7 &&
	    strcmp(uri, "(a request not yet read)") == 0,
	    "an accepted connection is a request in hand, not yet read");
	score_idle();
	UNIT_CHECK(score_busy_ms(3, score_now_ms() + 7, uri, sizeof(uri)) == 0,
	    "one another worker took is not");
	UNIT_CHECK(score_busy_ms(3, score_now_ms() + 7, uri, sizeof(uri)) == 0,
	    "an ended request is not");
	score_begin("/x");
	score_end(-1, 400, 10000001, 0);
	score_begin("/x");
	score_end(ROUTE_NOT_FOUND, 418, 1001, 0);
	UNIT_CHECK(has("fazhi_requests_total{route=\"cases\",status=\"200\"} 1\n"),
	    "by route and status");
	UNIT_CHECK(has("fazhi_requests_total{route=\"invalid\",status=\"400\"} 1\n"),
	    "a request that did not decode is route invalid");
	UNIT_CHECK(has("fazhi_requests_total{route=\"not_found\",status=\"other\"} 1\n"),
	    "an unlisted status is other");
	/* A bound is the bucket's largest value: 1000 us is in le=0.001. */
	UNIT_CHECK(has("fazhi_request_duration_seconds_bucket{le=\"0.001\"} 1\n") &&
	    has("fazhi_request_duration_seconds_bucket{le=\"0.0025\"} 2\n"),
	    "latency buckets hold their bound and sum up");
	UNIT_CHECK(has("fazhi_request_duration_seconds_bucket{le=\"10\"} 2\n") &&
	    has("fazhi_request_duration_seconds_bucket{le=\"+Inf\"} 3\n") &&
	    has("fazhi_request_duration_seconds_count 3\n"),
	    "past the last bound only +Inf has it");
	UNIT_CHECK(has("fazhi_request_duration_seconds_sum 10.002002\n"),
	    "the sum in seconds");
	UNIT_CHECK(has("fazhi_render_duration_seconds_count 1\n") &&
	    has("fazhi_render_duration_seconds_bucket{le=\"0.001\"} 1\n"),
	    "render time only for a request that rendered");
	score_limited(5);
	UNIT_CHECK(has("fazhi_rate_limited_total 5\n"), "nginx's 429s as the master counts them");
}

static void
test_retire(void)
{
	score_event(SCORE_RESTART);
	score_event(SCORE_RELOAD);
	score_event(SCORE_NEVENTS);		/* no such event: ignored */
	score_retire(3);
	UNIT_CHECK(has("fazhi_requests_total{route=\"cases\",status=\"200\"} 1\n") &&
	    has("fazhi_request_duration_seconds_count 3\n"),
	    "a retired slot's counts are kept");
	UNIT_CHECK(has("fazhi_worker_restarts_total 1\n") &&
	    has("fazhi_reloads_total 1\n") && has("fazhi_worker_kills_total 0\n"),
	    "the master's events");
	UNIT_CHECK(has("fazhi_workers 0\n"), "a retired slot is no worker");
}

/* A label value is escaped as the format says: \\, \" and \n. */
static void
test_label(void)
{
	UNIT_CHECK(strstr(metrics("a\"b\\c\nd"),
	    "fazhi_snapshot_info{id=\"a\\\"b\\\\c\\nd\"} 1\n") != NULL,
	    "the snapshot id is escaped");
	UNIT_CHECK(text.len > 0 && text.data[text.len - 1] == '\n',
	    "the text ends with a newline");
}

int
main(void)
{
	test_counts();
	test_retire();
	test_label();
	buf_free(&text);
	return unit_done();
}
