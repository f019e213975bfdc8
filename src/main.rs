//! The kith binary: parse the arguments, run the face they pick, exit with its status.

fn main() {
    std::process::exit(kith::cli::main());
}
