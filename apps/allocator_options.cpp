// jemalloc's options for troupe's programs, read once at start-up (the
// MALLOC_CONF variable still overrides them). One arena per CPU instead of
// four: a thread allocates from the arena of the CPU it runs on, and a large
// backlog, built by whichever threads ran the actors, is spread over fewer
// arenas with less memory held in their partly used pages (about 6% of the
// resident memory of a 1M backlog on two CPUs).
extern "C" {
// The name is jemalloc's; it is looked up when the library initialises.
// NOLINTNEXTLINE(readability-identifier-naming)
const char* malloc_conf = "percpu_arena:percpu";
}
