//! The `kith` command: a thin layer of argument parsing and output over the library crates.

mod cli;
mod commands;
mod interrupt;
mod lookup;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    interrupt::install();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Errors name files and entities as given: their control characters (a
            // terminal escape in a file name) are escaped, never printed raw.
            eprintln!("kith: error: {}", output::message(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}
