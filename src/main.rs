//! The `kith` command: a thin layer of argument parsing and output over the library crates.

mod cli;
mod commands;
mod lookup;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kith: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
