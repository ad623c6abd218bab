//! The `permafrost-insar` command line (see `shared/spec/CLI.md` in the
//! project for the contract other tools rely on).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
