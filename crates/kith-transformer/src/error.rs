use std::path::PathBuf;

/// Why a model could not be loaded. Every variant names the path at fault, or for the hub
/// model ([`TransformerError::Fetch`]) the model and the file.
#[derive(Debug, thiserror::Error)]
pub enum TransformerError {
    #[error("transformer model directory {} does not exist or is not a directory", .path.display())]
    MissingDir { path: PathBuf },
    #[error("{}: missing {what}", .path.display())]
    MissingFile { path: PathBuf, what: &'static str },
    #[error(
        "no model weights in {}: expected rust_model.ot or model.safetensors \
         (a PyTorch pytorch_model.bin must be converted first; see docs/transformer.md)",
        .dir.display()
    )]
    NoWeights { dir: PathBuf },
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid model configuration {}: {reason}", .path.display())]
    Config { path: PathBuf, reason: String },
    #[error("invalid vocabulary {}: {reason}", .path.display())]
    Vocab { path: PathBuf, reason: String },
    #[error(
        "cannot fetch {what} of the default transformer model {model} from the model hub \
         (no network, or the hub unreachable? a model directory of local files needs no network): {reason}"
    )]
    Fetch {
        model: &'static str,
        what: &'static str,
        reason: String,
    },
    #[error(
        "cannot load the model weights {} (corrupt, truncated, or not matching config.json?): {reason}",
        .path.display()
    )]
    Weights { path: PathBuf, reason: String },
}
