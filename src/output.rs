//! Terminal output shared by the commands: progress and run summaries.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::process::ExitCode;

/// A spinner with a count on a terminal; nothing when stderr is piped.
pub fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents ({per_sec}) {elapsed}")
            .expect("valid template"),
    );
    bar
}

/// What a run read, added and skipped.
#[derive(Default)]
pub struct RunSummary {
    pub added: usize,
    pub already_present: usize,
    /// Sources whose earlier document was replaced by this run's.
    pub replaced: Vec<String>,
    pub skipped: Vec<String>,
    /// Files of unknown type that directory walks passed over, by extension.
    pub ignored: std::collections::BTreeMap<String, usize>,
}

impl RunSummary {
    /// Record and print a skip; control characters (in file names, ids) are escaped.
    pub fn skip(&mut self, reason: String) {
        let reason = one_line(&reason);
        eprintln!("kith: skipped {reason}");
        self.skipped.push(reason);
    }

    pub fn report(&self) {
        let mut line = format!(
            "kith: {}: {} added, {} already in the graph, {} skipped",
            plural(
                self.added + self.already_present + self.skipped.len(),
                "input",
                "inputs"
            ),
            self.added,
            self.already_present,
            self.skipped.len()
        );
        if !self.ignored.is_empty() {
            let total: usize = self.ignored.values().sum();
            let kinds: Vec<String> = self
                .ignored
                .iter()
                .map(|(ext, n)| {
                    if *n == 1 {
                        ext.clone()
                    } else {
                        format!("{ext} ×{n}")
                    }
                })
                .collect();
            line.push_str(&format!(
                "; {} of unknown type ignored in directories ({})",
                plural(total, "file", "files"),
                kinds.join(", ")
            ));
        }
        eprintln!("{line}");
        if !self.replaced.is_empty() {
            const SHOWN: usize = 5;
            let mut names: Vec<String> = self
                .replaced
                .iter()
                .take(SHOWN)
                .map(|s| one_line(s))
                .collect();
            if self.replaced.len() > SHOWN {
                names.push(format!("and {} more", self.replaced.len() - SHOWN));
            }
            eprintln!(
                "kith: replaced {} whose source changed: {}",
                plural(self.replaced.len(), "document", "documents"),
                names.join(", ")
            );
        }
    }

    /// The exit code of a failed run: nothing processed, or anything skipped under --strict.
    pub fn failure(&self, strict: bool) -> Option<ExitCode> {
        let processed = self.added + self.already_present;
        if processed == 0 {
            eprintln!("kith: no document could be processed");
            return Some(ExitCode::FAILURE);
        }
        if strict && !self.skipped.is_empty() {
            eprintln!(
                "kith: --strict: {} skipped",
                plural(self.skipped.len(), "input", "inputs")
            );
            return Some(ExitCode::FAILURE);
        }
        None
    }
}

/// Rows as left-aligned columns under a header, as text (each line ending in a newline).
/// Widths count characters, so names in any script line up as well as a terminal allows.
pub fn format_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// Make a name safe to print on one line of a terminal: control characters escaped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// An error message made safe to print: control characters escaped as in [`one_line`],
/// but for the line breaks the message itself uses (lists of candidates). File names in
/// messages go through [`one_line`] where they are formatted, so a line break in a name is
/// escaped there.
pub fn message(text: &str) -> String {
    text.split('\n')
        .map(one_line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `1 neighbour`, `2 neighbours`: a count with its noun in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
