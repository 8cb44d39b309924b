/// mimalloc: the server allocates and frees many small buffers per request and per push, where
/// the system allocator spent about a quarter of the join path's CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    usher::cli::main()
}
