//! `kith train pos|ner|parser --config FILE`: reproduce a model from its TOML config
//! (`kith_train::config` documents the format), printing progress on stderr.

use crate::cli::{TaskArg, TrainArgs};
use anyhow::{bail, Result};
use kith_train::config::LoadedConfig;
use kith_train::{Event, Progress, Task, TrainOptions};
use std::process::ExitCode;
use std::time::Instant;

pub fn train(args: TrainArgs) -> Result<ExitCode> {
    if args.task == TaskArg::Relations {
        return super::relation_model::train_relations(&args);
    }
    let config = LoadedConfig::load(&args.config)?;
    let task = match args.task {
        TaskArg::Pos => Task::Pos,
        TaskArg::Ner => Task::Ner,
        TaskArg::Parser => Task::Parser,
        TaskArg::Coref => bail!(
            "coreference is rule-based and has no model to train; `kith eval coref` scores it"
        ),
        TaskArg::Relations => unreachable!("dispatched above"),
        TaskArg::Sentences => {
            bail!("sentence splitting is rule-based and has no model to train; `kith eval sentences` scores it")
        }
        TaskArg::Identity => bail!(
            "cross-document identity is rule-based and has no model to train; `kith eval identity` scores it"
        ),
    };
    let options = TrainOptions {
        output: args.output,
        data: args.data,
        epochs: args.epochs,
        dev_as_train: args.dev_as_train,
    };
    let started = Instant::now();
    let report = kith_train::train(task, &config, &options, &Progress::new(print_progress))?;
    let output = report.output;
    let size = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "kith: wrote {} ({:.1} MB) in {:.1} s",
        output.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// One line on stderr per progress event.
fn print_progress(event: &Event<'_>) {
    match *event {
        Event::PosTraining {
            sentences,
            tokens,
            dev_sentences,
        } => eprintln!(
            "kith: POS training on {sentences} sentences ({tokens} tokens), dev {dev_sentences} sentences"
        ),
        Event::PosEpoch { epoch, train, dev } => {
            let train = train.map(|a| format!("  train {a:.2}%")).unwrap_or_default();
            let dev = dev
                .map(|(u, x)| format!("  dev UPOS {u:.2}%  XPOS {x:.2}%"))
                .unwrap_or_default();
            eprintln!("epoch {epoch:>2}:{train}{dev}");
        }
        Event::NerTraining {
            documents,
            sentences,
            dev_documents,
        } => eprintln!(
            "kith: NER training on {documents} documents ({sentences} sentences), dev {dev_documents} documents"
        ),
        Event::NerMessage(m) => eprintln!("{m}"),
        Event::VotingMember { config } => {
            eprintln!("kith: voting member {}", config.display())
        }
        Event::JackknifeFold {
            fold,
            folds,
            sentences,
        } => eprintln!("jackknife: fold {fold}/{folds} tagged ({sentences} sentences)"),
        Event::JackknifeAccuracy { percent } => {
            eprintln!("jackknife: training tags {percent:.2}% right (UPOS and XPOS)")
        }
        Event::ParserTraining {
            sentences,
            words,
            dev_sentences,
            predicted_tags,
        } => eprintln!(
            "kith: parser training on {sentences} sentences ({words} words), dev {dev_sentences} sentences ({} tags)",
            if predicted_tags { "predicted" } else { "gold" }
        ),
        Event::ParserEpoch { epoch, train, dev } => {
            let train = train
                .map(|a| format!("  train arcs {a:.2}%"))
                .unwrap_or_default();
            let dev = dev
                .map(|(u, l)| format!("  dev UAS {u:.2}%  LAS {l:.2}%"))
                .unwrap_or_default();
            eprintln!("epoch {epoch:>2}:{train}{dev}");
        }
        _ => {}
    }
}
