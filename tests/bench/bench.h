/* What parley-bench's parts share: the clock and the report line, and the
 * node metrics (bench_node.c) with their scale. */
#ifndef PARLEY_BENCH_H
#define PARLEY_BENCH_H

/* Seconds on the monotonic clock. */
double now(void);

/* One metric line (one JSON object with --json); baseline <= 0: none. The
 * ratio printed is value / baseline. */
void report(const char *name, double value, const char *unit, double baseline);

typedef struct {
    long rtt_messages;    /* durable_rtt: messages sent one at a time */
    long cases;           /* ingest: open cases */
    long ingest_messages; /* ingest: about this many messages in all */
    long startup_cases;   /* startup and case_memory: cases in the store */
    long case_messages;   /* … and messages in each */
    int startup_runs;     /* node starts timed; the median is reported */
    int act_only;         /* --act: only act_5k */
} bench_node_opts;

#define BENCH_NODE_DEFAULTS                                                                        \
    {                                                                                              \
        900, 1000, 30000, 10000, 50, 3, 0                                                          \
    }

/* Runs the four node metrics; 0, or -1 with the reason printed. */
int bench_node(const bench_node_opts *o);

#endif
