/// jemalloc, purging in the background, gives back the memory that bursts of work (indexing a backlog, merging
/// segments) leave behind: glibc's per-thread arenas keep it (about 45 MB resident at 100k profiles).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    tandem::cli::main()
}
