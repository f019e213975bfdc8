//! The kith binary: parse the arguments, run the face they pick, exit with its status.

/// mimalloc instead of the system allocator: reports and reminders make and drop hundreds
/// of thousands of small rows, and glibc's allocator spent a fifth of `report customers`
/// in its slow path (docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kith::cli::main());
}
